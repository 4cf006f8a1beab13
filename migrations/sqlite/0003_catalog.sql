-- Catalog: soft-deleted categories, text limits, full-text search and the indexes behind
-- every listing filter and sort.

-- Categories are kept once deleted: products and the orders that hold them name them.
ALTER TABLE categories ADD COLUMN deleted_at TEXT;
DROP INDEX categories_name_key;
CREATE UNIQUE INDEX categories_name_key ON categories (lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX categories_name_idx ON categories (name, id) WHERE deleted_at IS NULL;

-- SQLite cannot add a CHECK to an existing table; these triggers enforce the same limits.
CREATE TRIGGER categories_description_length BEFORE INSERT ON categories
  WHEN length(NEW.description) > 2000 BEGIN SELECT RAISE(ABORT, 'categories_description_length'); END;
CREATE TRIGGER categories_description_length_update BEFORE UPDATE OF description ON categories
  WHEN length(NEW.description) > 2000 BEGIN SELECT RAISE(ABORT, 'categories_description_length'); END;
CREATE TRIGGER products_text_limits BEFORE INSERT ON products
  WHEN length(NEW.description) > 5000 OR NEW.price > 1000000000000
  BEGIN SELECT RAISE(ABORT, 'products_text_limits'); END;
CREATE TRIGGER products_text_limits_update BEFORE UPDATE OF description, price ON products
  WHEN length(NEW.description) > 5000 OR NEW.price > 1000000000000
  BEGIN SELECT RAISE(ABORT, 'products_text_limits'); END;

-- Full-text search over live products. The index keeps its own copy of the text under a
-- stable integer key (search_rowid): a table's implicit rowid may change on VACUUM.
ALTER TABLE products ADD COLUMN search_rowid INTEGER;
UPDATE products SET search_rowid = rowid;
CREATE UNIQUE INDEX products_search_rowid_key ON products (search_rowid);
CREATE VIRTUAL TABLE products_fts USING fts5(name, description, tokenize = 'porter unicode61 remove_diacritics 2');
INSERT INTO products_fts (rowid, name, description)
  SELECT search_rowid, name, description FROM products WHERE deleted_at IS NULL;

CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
  UPDATE products SET search_rowid = (SELECT COALESCE(MAX(search_rowid), 0) + 1 FROM products)
    WHERE id = NEW.id;
  INSERT INTO products_fts (rowid, name, description)
    SELECT search_rowid, name, description FROM products WHERE id = NEW.id AND deleted_at IS NULL;
END;
CREATE TRIGGER products_search_update AFTER UPDATE OF name, description ON products
  WHEN NEW.deleted_at IS NULL BEGIN
  UPDATE products_fts SET name = NEW.name, description = NEW.description WHERE rowid = NEW.search_rowid;
END;
CREATE TRIGGER products_search_delete AFTER UPDATE OF deleted_at ON products
  WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN
  DELETE FROM products_fts WHERE rowid = NEW.search_rowid;
END;

-- Filters that combine with a price sort. (in_stock has no index of its own: it removes
-- few rows, and every order changes stock_quantity.)
CREATE INDEX products_category_price_idx ON products (category_id, price, id) WHERE deleted_at IS NULL;
CREATE INDEX products_vendor_price_idx ON products (vendor_id, price, id) WHERE deleted_at IS NULL;

-- Catalog: soft-deleted categories, text limits, full-text search and the indexes behind
-- every listing filter and sort.

-- Categories are kept once deleted: products and the orders that hold them name them.
ALTER TABLE categories ADD COLUMN deleted_at timestamptz;
ALTER TABLE categories ADD CONSTRAINT categories_description_length CHECK (char_length(description) <= 2000);
DROP INDEX categories_name_key;
CREATE UNIQUE INDEX categories_name_key ON categories (lower(name)) WHERE deleted_at IS NULL;
-- Listed by name in byte order, the same order as SQLite's.
CREATE INDEX categories_name_idx ON categories ((name COLLATE "C"), id) WHERE deleted_at IS NULL;

ALTER TABLE products ADD CONSTRAINT products_description_length CHECK (char_length(description) <= 5000);
ALTER TABLE products ADD CONSTRAINT products_price_limit CHECK (price <= 1000000000000);

-- Name matches weigh more (A) than description matches (B); English stemming.
ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
) STORED;
CREATE INDEX products_search_idx ON products USING gin (search_vector) WHERE deleted_at IS NULL;

-- Filters that combine with a price sort. (in_stock has no index of its own: it removes
-- few rows, and an index on stock_quantity would make every stock update a non-HOT one.)
CREATE INDEX products_category_price_idx ON products (category_id, price, id) WHERE deleted_at IS NULL;
CREATE INDEX products_vendor_price_idx ON products (vendor_id, price, id) WHERE deleted_at IS NULL;

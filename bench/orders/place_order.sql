-- pgbench script for bench/orders.py (-M prepared): the write transaction of
-- POST /api/orders, statement for statement (src/domain/orders/order_service.cpp
-- insert_order, src/db/orders/sql_inventory_repository.cpp, sql_order_repository.cpp,
-- src/db/audit/sql_audit_log.cpp), for the same requests as bench/orders/place_order.lua:
-- 1-3 lines of 1-3 units; "distinct" (-D hot=0): random products among the first
-- :products, stock taken in product-id order; "hot" (-D hot=1): every line names product
-- :hot_product, merged into one line as the server merges them.
--
-- Product n has id :ppfx followed by n in 12 hex digits, customer n :cpfx and n, so
-- that pgbench (which only computes integers) names them without a lookup; client k
-- orders as customer k % :customers + 1.
--
-- Differences from the server (see bench/orders.py): no session read before the
-- transaction (the server checks the sign-in with a SELECT on users and
-- refresh_token_families per request, in autocommit); ids from gen_random_uuid() where the
-- server sends UUIDv7 (time-ordered) ids; times from now() where the server sends RFC 3339
-- text; the order id, product ids and vendors come back with RETURNING + \gset, which
-- costs no extra round trip.
\set lines random(1, 3)
\set q1 random(1, 3)
\set q2 random(1, 3)
\set q3 random(1, 3)
-- a, b, c: three different products, uniformly (order_items is unique per order and
-- product; the server merges repeated products, so an order never names one twice).
\set a random(1, :products)
\set b random(1, :products - 1)
\set b :b + (case when :b >= :a then 1 else 0 end)
\set lo least(:a, :b)
\set hi greatest(:a, :b)
\set c random(1, :products - 2)
\set c :c + (case when :c >= :lo then 1 else 0 end)
\set c :c + (case when :c >= :hi then 1 else 0 end)
\set customer :client_id % :customers + 1
\if :hot
\set q1 :q1 + (case when :lines >= 2 then :q2 else 0 end) + (case when :lines >= 3 then :q3 else 0 end)
\set lines 1
\set p1 :hot_product
\elif :lines = 1
\set p1 :a
\elif :lines = 2
\set p1 :lo
\set p2 :hi
\else
\set p1 least(:lo, :c)
\set p3 greatest(:hi, :c)
\set p2 :lo + :hi + :c - :p1 - :p3
\endif
BEGIN;
UPDATE products SET stock_quantity = stock_quantity - :q1 WHERE id = CAST(CAST(:ppfx AS text) || lpad(to_hex(CAST(:p1 AS integer)), 12, '0') AS uuid) AND deleted_at IS NULL AND stock_quantity >= :q1 RETURNING id, price, currency, vendor_id
\gset l1_
\set total :l1_price * :q1
\if :lines >= 2
UPDATE products SET stock_quantity = stock_quantity - :q2 WHERE id = CAST(CAST(:ppfx AS text) || lpad(to_hex(CAST(:p2 AS integer)), 12, '0') AS uuid) AND deleted_at IS NULL AND stock_quantity >= :q2 RETURNING id, price, currency, vendor_id
\gset l2_
\set total :total + :l2_price * :q2
\endif
\if :lines >= 3
UPDATE products SET stock_quantity = stock_quantity - :q3 WHERE id = CAST(CAST(:ppfx AS text) || lpad(to_hex(CAST(:p3 AS integer)), 12, '0') AS uuid) AND deleted_at IS NULL AND stock_quantity >= :q3 RETURNING id, price, currency, vendor_id
\gset l3_
\set total :total + :l3_price * :q3
\endif
INSERT INTO orders (id, user_id, status, total_price, currency, created_at, updated_at) VALUES (gen_random_uuid(), CAST(CAST(:cpfx AS text) || lpad(to_hex(CAST(:customer AS integer)), 12, '0') AS uuid), 'pending', :total, :l1_currency, now(), now()) RETURNING id, user_id
\gset order_
INSERT INTO order_items (id, order_id, product_id, vendor_id, quantity, price_at_purchase, created_at, updated_at) VALUES (gen_random_uuid(), :order_id, :l1_id, :l1_vendor_id, :q1, :l1_price, now(), now());
\if :lines >= 2
INSERT INTO order_items (id, order_id, product_id, vendor_id, quantity, price_at_purchase, created_at, updated_at) VALUES (gen_random_uuid(), :order_id, :l2_id, :l2_vendor_id, :q2, :l2_price, now(), now());
\endif
\if :lines >= 3
INSERT INTO order_items (id, order_id, product_id, vendor_id, quantity, price_at_purchase, created_at, updated_at) VALUES (gen_random_uuid(), :order_id, :l3_id, :l3_vendor_id, :q3, :l3_price, now(), now());
\endif
INSERT INTO order_status_history (id, order_id, from_status, to_status, actor_id, actor_role, created_at) VALUES (gen_random_uuid(), :order_id, NULL, 'pending', :order_user_id, 'customer', now());
INSERT INTO audit_log (id, occurred_at, event, outcome, actor_id, subject_id, ip, request_id, details) VALUES (gen_random_uuid(), now(), 'order_placed', 'success', :order_user_id, :order_id, '127.0.0.1', 'pgbench', CAST('{"reason":"total ' || :total || ' usd"}' AS jsonb));
COMMIT;

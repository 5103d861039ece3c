-- Shop schema, step 4: the order overview filters by status and date.
CREATE INDEX idx_orders_status ON orders (status, ordered_at);

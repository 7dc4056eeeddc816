-- Hand-written: a partial index Prisma's schema language cannot express.
-- The checkout starter reads the oldest orders without a process instance, and only those are
-- indexed, so the read stays small however many orders the table holds.
CREATE INDEX "orders_pending_start_idx" ON "orders"("created_at") WHERE "process_instance_key" IS NULL;

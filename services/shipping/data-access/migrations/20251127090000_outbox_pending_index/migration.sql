-- Hand-written: a partial index Prisma's schema language cannot express.
-- The outbox relay reads the oldest unpublished rows in (created_at, id) order. Only those are
-- indexed, so the read is an index scan that stops at its LIMIT: the index on
-- (published_at, created_at) kept an entry with a NULL published_at for every row ever published
-- until the table was vacuumed, and every poll visited their rows.
DROP INDEX IF EXISTS "outbox_published_at_created_at_idx";
CREATE INDEX "outbox_pending_idx" ON "outbox"("created_at", "id") WHERE "published_at" IS NULL;

-- Status changes become HOT updates: no index holds status any more, and each page keeps a fifth
-- free for the new versions of its rows (fillfactor is a storage parameter, outside Prisma's schema).
DROP INDEX "orders_status_created_at_idx";
ALTER TABLE "orders" SET (fillfactor = 80);

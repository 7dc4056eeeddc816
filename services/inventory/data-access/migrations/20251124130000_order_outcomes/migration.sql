-- CreateTable
CREATE TABLE "order_outcomes" (
    "order_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "unavailable" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "order_outcomes_pkey" PRIMARY KEY ("order_id")
);

-- Hand-written: the values the domain knows (services/inventory/domain/order-outcome.ts).
ALTER TABLE "order_outcomes" ADD CONSTRAINT "order_outcomes_status_known" CHECK ("status" IN ('reserved', 'out-of-stock', 'released'));
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_status_known" CHECK ("status" IN ('picked', 'released'));

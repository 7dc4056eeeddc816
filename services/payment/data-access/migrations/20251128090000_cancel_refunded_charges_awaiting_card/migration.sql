-- Hand-written: data only.
-- A refund request now closes the charges of its order that wait for a card update, as 'cancelled'
-- (services/payment/domain/refund-payment.ts). Orders refunded before that still hold such charges,
-- and a card update would wake them with a payment.card-updated after the order was cancelled.
UPDATE "payments" SET "status" = 'cancelled', "updated_at" = now()
WHERE "type" = 'charge' AND "status" = 'awaiting-card-update'
  AND "order_id" IN (SELECT "order_id" FROM "refund_requests");

-- AlterTable
ALTER TABLE "cards" ADD COLUMN     "behaviour" TEXT NOT NULL DEFAULT 'succeeds',
ADD COLUMN     "brand" TEXT NOT NULL DEFAULT 'unknown';

-- Hand-written: the values the domain knows (services/payment/domain/card.ts).
ALTER TABLE "cards" ADD CONSTRAINT "cards_behaviour_known" CHECK ("behaviour" IN ('succeeds', 'declined'));

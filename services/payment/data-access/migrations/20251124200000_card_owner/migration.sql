-- AlterTable
ALTER TABLE "cards" ADD COLUMN     "customer_id" TEXT;

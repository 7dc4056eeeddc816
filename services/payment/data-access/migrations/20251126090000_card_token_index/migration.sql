-- A card update looks up the charges waiting for that card.
CREATE INDEX "payments_card_token_status_idx" ON "payments"("card_token", "status");

/**
 * The SKUs stocked at the Inventory service's first start: the same SKUs as the Order service's
 * catalog (services/order/domain/catalog-seed.ts), which Inventory must not read. Keep the two lists equal.
 */
export const seedSkus = ['SKU-TSHIRT', 'SKU-MUG', 'SKU-HOODIE', 'SKU-STICKERS', 'SKU-CAP', 'SKU-POSTER'] as const;

/** Units of every seeded SKU; `INVENTORY_SEED_QUANTITY` overrides it. Ops restock with `PUT /stock/:sku`. */
export const DEFAULT_SEED_QUANTITY = 1_000;

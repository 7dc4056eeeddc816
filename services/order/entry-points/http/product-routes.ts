import { Router } from 'express';
import type { ProductRepository } from '../../data-access/product-repository.js';

/** `GET /products`: the catalog, prices in minor units. */
export function productRoutes(products: ProductRepository): Router {
  const router = Router();
  router.get('/products', async (_request, response) => {
    const items = await products.list();
    response.json({ items: items.map((product) => ({ sku: product.sku, name: product.name, price: product.price.amount, currency: product.price.currency })) });
  });
  return router;
}

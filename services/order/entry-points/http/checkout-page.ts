import express, { Router } from 'express';
import type { ContentSecurityPolicy } from '../../../../lib/http/security-headers.js';
import { projectPath } from '../../../../lib/project/project-root.js';

/** The checkout page: plain ES modules and CSS, served as they are. */
export const checkoutPageDirectory = projectPath('services', 'order', 'entry-points', 'http', 'public');

export interface CheckoutPageOptions {
  /** The Payment service's origin as the browser reaches it: card numbers go there, never here. */
  paymentPublicUrl: string;
  /** Whether the page may offer the dev login. */
  devLogin: boolean;
}

/**
 * The page's policy: its own scripts and styles only (no inline code), and network access to this
 * service and the Payment service's card endpoints.
 */
export function checkoutPagePolicy(paymentPublicUrl: string): ContentSecurityPolicy {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'", paymentPublicUrl],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
  };
}

/** `GET /` (the page and its modules) and `GET /checkout/config` (what the page needs to know). */
export function checkoutPageRoutes({ paymentPublicUrl, devLogin }: CheckoutPageOptions): Router {
  const router = Router();
  router.get('/checkout/config', (_request, response) => {
    response.json({ paymentUrl: paymentPublicUrl, devLogin });
  });
  router.use(express.static(checkoutPageDirectory, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  return router;
}

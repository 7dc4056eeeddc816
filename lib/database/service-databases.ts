import { fileURLToPath } from 'node:url';

/** The services that own a database; each has its own Prisma schema, migrations and generated client. */
export const ServiceName = {
  order: 'order',
  payment: 'payment',
  inventory: 'inventory',
  shipping: 'shipping',
} as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];

export const serviceNames: readonly ServiceName[] = Object.values(ServiceName);

/** `services/<service>/data-access/`, where the service's schema.prisma, prisma.config.ts and migrations live. */
export function dataAccessDirectory(service: ServiceName): string {
  return fileURLToPath(new URL(`../../services/${service}/data-access/`, import.meta.url));
}

export function prismaConfigPath(service: ServiceName): string {
  return `${dataAccessDirectory(service)}prisma.config.ts`;
}

import path from 'node:path';
import { projectPath } from '../project/project-root.js';

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
  return projectPath('services', service, 'data-access') + path.sep;
}

export function prismaConfigPath(service: ServiceName): string {
  return `${dataAccessDirectory(service)}prisma.config.ts`;
}

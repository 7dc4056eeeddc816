import { defineServicePrismaConfig } from '../../../lib/database/schema-engine-config.js';

export default defineServicePrismaConfig('inventory');

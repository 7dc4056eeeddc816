import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Camunda8 } from '@camunda8/sdk';
import type { Money, OrderItem, ShippingAddress } from '../../../infra/messaging/index.js';
import { projectPath } from '../../../lib/project/project-root.js';
import type { CancelRequester } from '../domain/cancel-order.js';

export type ZeebeGrpcClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/** The checkout model the service deploys at start. */
export const checkoutBpmnPath = projectPath('processes', 'checkout.bpmn');
/**
 * The resource name it is deployed under, as `npm run deploy` names a file: Zeebe keeps the version
 * only for the same name and bytes, so a path that differs per checkout or container would make
 * every start a new version.
 */
export const CHECKOUT_RESOURCE_NAME = path.basename(checkoutBpmnPath);
export const CHECKOUT_PROCESS_ID = 'checkout';
export const CANCEL_REQUESTED_MESSAGE = 'order.cancel-requested';
/** How long a cancel request waits in the broker for the process to subscribe (it may not have started yet). */
const CANCEL_REQUEST_TTL_MS = 10 * 60_000;

/**
 * Zeebe client settings: the SDK's own variables (`ZEEBE_GRPC_ADDRESS`, `CAMUNDA_AUTH_STRATEGY`,
 * `CAMUNDA_SECURE_CONNECTION`, the OAuth ones…), with defaults that reach the embedded engine. The same
 * variables point the service at a real Camunda 8 cluster.
 */
export function zeebeSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const secure = (env.CAMUNDA_SECURE_CONNECTION ?? 'false') === 'true';
  const address = env.ZEEBE_GRPC_ADDRESS ?? '127.0.0.1:26500';
  return {
    // The protocol carries CAMUNDA_SECURE_CONNECTION: the SDK ignores (and warns about) it next to an address with one.
    ZEEBE_GRPC_ADDRESS: address.includes('://') ? address : `${secure ? 'grpcs' : 'grpc'}://${address}`,
    CAMUNDA_AUTH_STRATEGY: env.CAMUNDA_AUTH_STRATEGY ?? 'NONE',
    CAMUNDA_LOG_LEVEL: env.CAMUNDA_LOG_LEVEL ?? 'error',
    CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
    // The checkout starter retries failed starts itself; an endless SDK retry would only hold its transaction open.
    zeebeGrpcSettings: { ZEEBE_GRPC_CLIENT_RETRY: env.ZEEBE_GRPC_CLIENT_RETRY === 'true', ZEEBE_CLIENT_LOG_LEVEL: env.ZEEBE_CLIENT_LOG_LEVEL ?? 'NONE' },
  };
}

/** The variables checkout.bpmn expects at creation (processes/checkout-contract.md). */
export interface CheckoutVariables {
  orderId: string;
  customerId: string;
  cardToken: string;
  items: OrderItem[];
  total: Money;
  shippingAddress: ShippingAddress;
}

/** Deploys checkout.bpmn under {@link CHECKOUT_RESOURCE_NAME}; unchanged, it keeps its version. */
export async function deployCheckoutProcess(zeebe: ZeebeGrpcClient): Promise<{ processDefinitionKey: string; version: number }> {
  const deployment = await zeebe.deployResource({ name: CHECKOUT_RESOURCE_NAME, process: await readFile(checkoutBpmnPath) });
  const process = deployment.deployments.find((entry) => entry.process?.bpmnProcessId === CHECKOUT_PROCESS_ID)?.process;
  if (!process) throw new Error(`Expected the deployment to contain process ${CHECKOUT_PROCESS_ID}, but it did not`);
  return { processDefinitionKey: String(process.processDefinitionKey), version: process.version };
}

/** What the Order service asks of the checkout process: deploy it, start it per order, ask it to cancel. */
export class CheckoutProcessClient {
  private constructor(readonly zeebe: ZeebeGrpcClient) {}

  static connect(settings: Record<string, unknown> = zeebeSettingsFromEnvironment()): CheckoutProcessClient {
    const camunda = new Camunda8(settings as ConstructorParameters<typeof Camunda8>[0]);
    return new CheckoutProcessClient(camunda.getZeebeGrpcApiClient());
  }

  /** Deploys checkout.bpmn; Zeebe keeps the version when the resource is unchanged, so every start may do it. */
  async deploy(): Promise<{ processDefinitionKey: string; version: number }> {
    return deployCheckoutProcess(this.zeebe);
  }

  /** Starts the checkout for one order; resolves with the process instance key. */
  async start(variables: CheckoutVariables): Promise<string> {
    const created = await this.zeebe.createProcessInstance({ bpmnProcessId: CHECKOUT_PROCESS_ID, variables: { ...variables } });
    return String(created.processInstanceKey);
  }

  /**
   * Publishes `order.cancel-requested` for the order. The message id makes repeated requests one
   * message: Zeebe answers ALREADY_EXISTS while the first is buffered, which counts as accepted,
   * also when the customer and an operator ask at once (the first one names the reason).
   */
  async requestCancel(orderId: string, requestedBy: CancelRequester): Promise<void> {
    try {
      await this.zeebe.publishMessage({
        name: CANCEL_REQUESTED_MESSAGE,
        correlationKey: orderId,
        messageId: `${CANCEL_REQUESTED_MESSAGE}:${orderId}`,
        timeToLive: CANCEL_REQUEST_TTL_MS,
        variables: { requestedBy },
      });
    } catch (error) {
      if ((error as { code?: number }).code !== GrpcStatus.ALREADY_EXISTS) throw error;
    }
  }

  async close(): Promise<void> {
    await this.zeebe.close();
  }
}

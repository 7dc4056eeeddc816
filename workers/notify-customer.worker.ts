/**
 * `customer.notify` (Ask customer to update card): publishes the `customer.notified` event; whatever
 * delivers notifications (and the Order service's timeline) subscribes to it. The task header
 * `notification` names the topic.
 */
import { z } from 'zod';
import { createMessage, eventPayloads } from '../infra/messaging/index.js';
import { InvalidJobError, JobFailureCode } from './errors.js';
import { defineJobWorker } from './job-worker-definition.js';
import { jobVariables } from './job-variables.js';

const topicSchema = eventPayloads['customer.notified'].payload.shape.topic;

export const notifyCustomerWorker = defineJobWorker({
  jobType: 'customer.notify',
  variables: z.object({ orderId: jobVariables.orderId, customerId: jobVariables.customerId }),
  toMessage: ({ orderId, customerId }, { messageId, headers }) => {
    const topic = topicSchema.safeParse(headers.notification);
    if (!topic.success) {
      throw new InvalidJobError(
        JobFailureCode.INVALID_VARIABLES,
        `Expected the task header 'notification' to be one of ${topicSchema.options.join(', ')}, but it was ${JSON.stringify(headers.notification) ?? 'missing'}`,
        { orderId },
      );
    }
    return createMessage('customer.notified', { orderId, customerId, topic: topic.data }, { id: messageId });
  },
});

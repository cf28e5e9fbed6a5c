import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { EDGE_METRICS, METRIC_DIMENSIONS } from "../../src/contract/metrics";

/** One consumer's queues, by name (the SQS metric dimension). */
export interface QueueNames {
  consumer: string;
  queue: string;
  dlq: string;
}

export interface GatewayAlarmsProps {
  prefix: string;
  edgeFunctionName: string;
  /** The edge's `POWERTOOLS_SERVICE_NAME`, the `service` dimension of its EMF metrics. */
  edgeServiceName: string;
  metricsNamespace: string;
  queues: QueueNames[];
  topicArn?: string;
  maxMessageAgeSeconds: number;
  signatureFailures: number;
  /** The scheduled redelivery's function, when it is deployed. */
  redeliveryFunctionName?: string;
}

interface AlarmSpec {
  name: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic: "Sum" | "Maximum";
  threshold: number;
  comparisonOperator?: string;
  periodSeconds?: number;
}

/**
 * The alarms an operator needs: anything in a DLQ, a queue falling behind, the edge failing
 * (function errors and function URL 5xx) or throttled (its reserved concurrency, or the account's,
 * used up: the URL answers 429 and the provider may give up on the delivery), a burst of bad signatures (someone probing the
 * endpoint, or a secret rotated on one side only) and a failed scheduled redelivery run, when that
 * job is deployed. Actions go to the optional SNS topic.
 *
 * @example
 * new GatewayAlarms(this, "alarms", { prefix, edgeFunctionName, edgeServiceName, metricsNamespace, queues, … });
 */
export class GatewayAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: GatewayAlarmsProps) {
    super(scope, id);
    const add = (spec: AlarmSpec) => {
      const actions = props.topicArn ? [props.topicArn] : [];
      this.alarms.push(
        new CloudwatchMetricAlarm(this, spec.name, {
          alarmName: `${props.prefix}-${spec.name}`,
          alarmDescription: spec.description,
          namespace: spec.namespace,
          metricName: spec.metricName,
          dimensions: spec.dimensions,
          statistic: spec.statistic,
          period: spec.periodSeconds ?? 300,
          evaluationPeriods: 1,
          threshold: spec.threshold,
          comparisonOperator: spec.comparisonOperator ?? "GreaterThanThreshold",
          treatMissingData: "notBreaching",
          alarmActions: actions,
          okActions: actions,
        }),
      );
    };
    const lambda = {
      namespace: "AWS/Lambda",
      dimensions: { FunctionName: props.edgeFunctionName },
      threshold: 0,
    };
    add({
      ...lambda,
      name: "edge-errors",
      description: "The ingest function threw",
      metricName: "Errors",
      statistic: "Sum",
    });
    add({
      ...lambda,
      name: "edge-url-5xx",
      description: "The function URL answered 5xx",
      metricName: "Url5xxCount",
      statistic: "Sum",
    });
    add({
      ...lambda,
      name: "edge-throttles",
      description: "The ingest function was throttled: reserved or account concurrency used up (429s)",
      metricName: "Throttles",
      statistic: "Sum",
      periodSeconds: 60,
    });
    add({
      name: "edge-invalid-signatures",
      description:
        "Burst of deliveries with an invalid signature (probing, or a secret rotated on one side only)",
      namespace: props.metricsNamespace,
      metricName: EDGE_METRICS.rejected,
      dimensions: {
        [METRIC_DIMENSIONS.service]: props.edgeServiceName,
        [METRIC_DIMENSIONS.reason]: "invalid_signature",
      },
      statistic: "Sum",
      threshold: props.signatureFailures,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    if (props.redeliveryFunctionName) {
      // The job throws when a redelivery request fails, and when it cannot list deliveries.
      add({
        ...lambda,
        dimensions: { FunctionName: props.redeliveryFunctionName },
        name: "redeliver-errors",
        description: "The scheduled redelivery failed (GitHub refused, or the token is missing)",
        metricName: "Errors",
        statistic: "Sum",
      });
    }
    for (const q of props.queues) {
      add({
        name: `${q.consumer}-dlq-not-empty`,
        description: `Events of consumer ${q.consumer} are in its dead-letter queue`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: q.dlq },
        statistic: "Maximum",
        threshold: 0,
        periodSeconds: 60,
      });
      add({
        name: `${q.consumer}-queue-age`,
        description: `Consumer ${q.consumer} is falling behind: its oldest message is too old`,
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: q.queue },
        statistic: "Maximum",
        threshold: props.maxMessageAgeSeconds,
        periodSeconds: 60,
      });
    }
  }
}

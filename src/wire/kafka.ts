// The Kafka topic events go to when nothing names another: the collector's Kafka sink creates it and
// the dashboard reads it, and the SDK's kafka-rest transport posts to it by default, so the three
// meet without configuration.
export const DEFAULT_KAFKA_TOPIC = 'feedpulse.events';

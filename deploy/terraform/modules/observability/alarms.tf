locals {
  alarm_topics = [aws_sns_topic.alarms.arn]

  # Errors and throttles of the whole function, and of the alias serving traffic (the
  # deploy workflow watches the latter while it shifts traffic).
  lambda_alarms = {
    errors = {
      metric     = "Errors"
      dimensions = { FunctionName = var.function_name }
    }
    throttles = {
      metric     = "Throttles"
      dimensions = { FunctionName = var.function_name }
    }
    errors-live = {
      metric     = "Errors"
      dimensions = { FunctionName = var.function_name, Resource = "${var.function_name}:${var.alias_name}" }
    }
    throttles-live = {
      metric     = "Throttles"
      dimensions = { FunctionName = var.function_name, Resource = "${var.function_name}:${var.alias_name}" }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "api_5xx_rate" {
  alarm_name          = "${var.prefix}-api-5xx-rate"
  alarm_description   = "More than ${var.error_rate_threshold_percent}% of API requests answered 5xx."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.error_rate_threshold_percent
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics

  metric_query {
    id          = "rate"
    expression  = "IF(requests >= ${var.error_rate_min_requests}, 100 * errors / requests, 0)"
    label       = "5xx rate (%)"
    return_data = true
  }

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5xx"
      period      = 300
      stat        = "Sum"
      dimensions = {
        ApiId = var.api_id
        Stage = var.api_stage
      }
    }
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      period      = 300
      stat        = "Sum"
      dimensions = {
        ApiId = var.api_id
        Stage = var.api_stage
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  alarm_name          = "${var.prefix}-api-latency-p99"
  alarm_description   = "API p99 latency above ${var.latency_p99_threshold_ms} ms."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.latency_p99_threshold_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics

  dimensions = {
    ApiId = var.api_id
    Stage = var.api_stage
  }
}

resource "aws_cloudwatch_metric_alarm" "lambda" {
  for_each = local.lambda_alarms

  alarm_name          = "${var.prefix}-lambda-${each.key}"
  alarm_description   = "Lambda ${each.value.metric} on ${join(" ", values(each.value.dimensions))}."
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  dimensions          = each.value.dimensions
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics
}

resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  alarm_name          = "${var.prefix}-db-cpu"
  alarm_description   = "Database CPU above 80%."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics

  dimensions = {
    DBInstanceIdentifier = var.db_instance_id
  }
}

resource "aws_cloudwatch_metric_alarm" "db_free_storage" {
  alarm_name          = "${var.prefix}-db-free-storage"
  alarm_description   = "Database free storage below 2 GiB."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.db_free_storage_threshold_bytes
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_topics
  ok_actions          = local.alarm_topics

  dimensions = {
    DBInstanceIdentifier = var.db_instance_id
  }
}

# Route 53 probes /api/health from several regions over HTTPS; the health endpoint
# checks the database, so this alarm means "the shop is down" as customers see it.
resource "aws_route53_health_check" "api" {
  fqdn              = var.api_host
  type              = "HTTPS"
  port              = 443
  resource_path     = "/api/health"
  enable_sni        = true
  request_interval  = 30
  failure_threshold = 3

  tags = {
    Name = "${var.prefix}-api-health"
  }
}

resource "aws_cloudwatch_metric_alarm" "health_check" {
  provider = aws.us_east_1

  alarm_name          = "${var.prefix}-api-health-check"
  alarm_description   = "Route 53 health check of https://${var.api_host}/api/health is failing."
  namespace           = "AWS/Route53"
  metric_name         = "HealthCheckStatus"
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 2
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.alarms_us_east_1.arn]
  ok_actions          = [aws_sns_topic.alarms_us_east_1.arn]

  dimensions = {
    HealthCheckId = aws_route53_health_check.api.id
  }
}

locals {
  api_dims    = ["ApiId", var.api_id, "Stage", var.api_stage]
  lambda_dims = ["FunctionName", var.function_name]
  ns          = var.metrics_namespace

  # Client connections of the RDS Proxy, when there is one.
  proxy_metrics = [
    for m in [["AWS/RDS", "ClientConnections", "ProxyName", var.db_proxy_name, { yAxis = "right", label = "proxy client connections" }]] : m
    if var.db_proxy_name != null
  ]

  # The app's per-route EMF metrics, one line per Route value that has reported.
  route_search = "SEARCH('{\"${local.ns}\",Route} MetricName=\"%s\"', '%s', 300)"

  widgets = [
    {
      title = "API requests and errors"
      stat  = "Sum"
      metrics = [
        concat(["AWS/ApiGateway", "Count"], local.api_dims),
        concat(["AWS/ApiGateway", "4xx"], local.api_dims),
        concat(["AWS/ApiGateway", "5xx"], local.api_dims),
      ]
    },
    {
      title = "API latency (ms)"
      stat  = "p99"
      metrics = [
        concat(["AWS/ApiGateway", "Latency"], local.api_dims, [{ stat = "p50", label = "p50" }]),
        concat(["AWS/ApiGateway", "Latency"], local.api_dims, [{ stat = "p99", label = "p99" }]),
      ]
    },
    {
      title = "Lambda invocations, errors, throttles"
      stat  = "Sum"
      metrics = [
        concat(["AWS/Lambda", "Invocations"], local.lambda_dims),
        concat(["AWS/Lambda", "Errors"], local.lambda_dims),
        concat(["AWS/Lambda", "Throttles"], local.lambda_dims),
      ]
    },
    {
      title = "Lambda duration (ms) and concurrency"
      stat  = "Maximum"
      metrics = [
        concat(["AWS/Lambda", "Duration"], local.lambda_dims, [{ stat = "p50", label = "duration p50" }]),
        concat(["AWS/Lambda", "Duration"], local.lambda_dims, [{ stat = "p99", label = "duration p99" }]),
        concat(["AWS/Lambda", "ConcurrentExecutions"], local.lambda_dims, [{ yAxis = "right" }]),
      ]
    },
    {
      title = "RDS CPU (%) and connections"
      stat  = "Average"
      metrics = concat(
        [
          ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", var.db_instance_id],
          ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", var.db_instance_id, { yAxis = "right" }],
        ],
        local.proxy_metrics,
      )
    },
    {
      title = "RDS free storage (bytes)"
      stat  = "Minimum"
      metrics = [
        ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", var.db_instance_id],
      ]
    },
    {
      title = "Orders and payments (app)"
      stat  = "Sum"
      metrics = [
        [local.ns, "OrdersCreated"],
        [local.ns, "PaymentsCompleted"],
        [local.ns, "PaymentsFailed"],
        [local.ns, "WebhookFailures"],
      ]
    },
    {
      title = "Requests by route (app)"
      stat  = "Sum"
      metrics = [
        [{ expression = format(local.route_search, "Requests", "Sum"), id = "requests", label = "" }],
      ]
    },
    {
      title = "Latency p99 by route (app, ms)"
      stat  = "p99"
      metrics = [
        [{ expression = format(local.route_search, "Latency", "p99"), id = "latency", label = "" }],
      ]
    },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.prefix

  # Two widgets a row, 12 columns by 6 rows each.
  dashboard_body = jsonencode({
    widgets = [
      for i, w in local.widgets : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = floor(i / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = w.title
          region  = var.region
          view    = "timeSeries"
          stacked = false
          period  = 300
          stat    = w.stat
          metrics = w.metrics
        }
      }
    ]
  })
}

# Background work that the socket server runs on its own threads, and that a frozen Lambda
# process cannot: retrying queued email and settling refunds Stripe had not answered. A
# rule invokes the live alias with a direct event ({"mercato": "<command>"}, served by
# ApiFunction), which API Gateway can never send.
locals {
  scheduled_commands = {
    deliver-mail   = "rate(5 minutes)"
    settle-refunds = "rate(5 minutes)"
  }
}

resource "aws_cloudwatch_event_rule" "command" {
  for_each = local.scheduled_commands

  name                = "${var.prefix}-${each.key}"
  description         = "Runs `${each.key}` in the ${local.alias_name} Mercato function"
  schedule_expression = each.value
}

resource "aws_cloudwatch_event_target" "command" {
  for_each = local.scheduled_commands

  rule  = aws_cloudwatch_event_rule.command[each.key].name
  arn   = aws_lambda_alias.live.arn
  input = jsonencode({ mercato = each.key })
}

resource "aws_lambda_permission" "schedule" {
  for_each = local.scheduled_commands

  statement_id  = "AllowSchedule-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.command[each.key].arn
}

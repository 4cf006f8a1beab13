resource "aws_sns_topic" "alarms" {
  name = "${var.prefix}-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# Alarm actions must be in the alarm's region, and the health-check alarm has to be in
# us-east-1: it gets a topic of its own there.
resource "aws_sns_topic" "alarms_us_east_1" {
  provider = aws.us_east_1

  name = "${var.prefix}-alarms-global"
}

resource "aws_sns_topic_subscription" "email_us_east_1" {
  provider = aws.us_east_1
  count    = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms_us_east_1.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# Variables of the production environment, read by the deploy workflow (-var-file). Nothing
# secret belongs here (secrets live in Secrets Manager, docs/deploy-aws.md). The
# example.com values are placeholders: the workflow refuses to deploy until they are
# replaced. image_tag comes from the workflow (-var image_tag=<git sha>).

region      = "eu-west-1"
environment = "production"
name        = "mercato"

app_base_url          = "https://shop.example.com"
cors_allowed_origins  = ["https://shop.example.com"]
cognito_callback_urls = ["https://shop.example.com/auth/callback"]
cognito_logout_urls   = ["https://shop.example.com/"]
alarm_email           = "ops@example.com"

# Sizes (defaults shown).
lambda_memory_mb            = 512
lambda_timeout_s            = 15
lambda_reserved_concurrency = -1
lambda_architecture         = "x86_64"

db_engine_version           = "16"
db_instance_class           = "db.t4g.micro"
db_allocated_storage_gb     = 20
db_max_allocated_storage_gb = 100
db_multi_az                 = true
db_deletion_protection      = true
db_backup_retention_days    = 7
db_performance_insights     = false
db_proxy_enabled            = true

vpc_cidr     = "10.40.0.0/16"
az_count     = 2
nat_gateways = 2

secretsmanager_endpoint = true

api_throttle_rate  = 100
api_throttle_burst = 200

app_metrics                  = true
log_retention_days           = 30
latency_p99_threshold_ms     = 1000
error_rate_threshold_percent = 1

# stripe_api_base = "https://api.stripe.com"
# cognito_advanced_security_mode = "OFF"

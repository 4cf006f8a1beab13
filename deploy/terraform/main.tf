locals {
  # Every resource is called <name>-<environment>, so staging and production can share
  # one account without colliding.
  prefix = "${var.name}-${var.environment}"

  tags = {
    Project     = "mercato"
    Environment = var.environment
  }

  # The app's EMF metrics go to one namespace per environment.
  metrics_namespace = "Mercato/${var.environment}"
}

module "network" {
  source = "./modules/network"

  prefix       = local.prefix
  region       = var.region
  vpc_cidr     = var.vpc_cidr
  az_count     = var.az_count
  nat_gateways = var.nat_gateways

  secretsmanager_endpoint = var.secretsmanager_endpoint
  direct_db_access        = !var.db_proxy_enabled
}

module "database" {
  source = "./modules/database"

  prefix                   = local.prefix
  subnet_ids               = module.network.private_subnet_ids
  db_security_group_id     = module.network.db_security_group_id
  proxy_security_group_id  = module.network.proxy_security_group_id
  engine_version           = var.db_engine_version
  instance_class           = var.db_instance_class
  allocated_storage_gb     = var.db_allocated_storage_gb
  max_allocated_storage_gb = var.db_max_allocated_storage_gb
  multi_az                 = var.db_multi_az
  deletion_protection      = var.db_deletion_protection
  backup_retention_days    = var.db_backup_retention_days
  performance_insights     = var.db_performance_insights
  log_retention_days       = var.log_retention_days
  proxy_enabled            = var.db_proxy_enabled
}

module "registry" {
  source = "./modules/registry"

  prefix = local.prefix
}

module "identity" {
  source = "./modules/identity"

  prefix                 = local.prefix
  region                 = var.region
  callback_urls          = var.cognito_callback_urls
  logout_urls            = var.cognito_logout_urls
  advanced_security_mode = var.cognito_advanced_security_mode
  deletion_protection    = var.environment == "production"
}

# The application's secrets (JWT_SECRET, STRIPE_*, DATA_ENCRYPTION_KEY, SMTP_URL, ...) as
# one JSON object. Terraform creates the secret but never a version of it: the operator
# puts the value with the AWS CLI (docs/deploy-aws.md), so no secret enters the state.
resource "aws_secretsmanager_secret" "app" {
  name                    = "${local.prefix}/app"
  description             = "Mercato ${var.environment}: environment variables the app reads at start (JSON object)."
  recovery_window_in_days = 7
}

module "api" {
  source = "./modules/api"

  prefix               = local.prefix
  environment          = var.environment
  image_uri            = "${module.registry.repository_url}:${var.image_tag}"
  architecture         = var.lambda_architecture
  memory_mb            = var.lambda_memory_mb
  timeout_s            = var.lambda_timeout_s
  reserved_concurrency = var.lambda_reserved_concurrency
  subnet_ids           = module.network.private_subnet_ids
  security_group_id    = module.network.lambda_security_group_id
  database_url         = "postgresql://${module.database.endpoint}:5432/${module.database.db_name}?sslmode=require"
  database_secret_arn  = module.database.master_secret_arn
  app_secret_arn       = aws_secretsmanager_secret.app.arn
  app_base_url         = var.app_base_url
  cors_allowed_origins = var.cors_allowed_origins
  cognito_issuer       = module.identity.issuer
  cognito_client_ids   = [module.identity.client_id]
  metrics_namespace    = local.metrics_namespace
  cloudwatch_metrics   = var.app_metrics
  stripe_api_base      = var.stripe_api_base
  throttle_rate        = var.api_throttle_rate
  throttle_burst       = var.api_throttle_burst
  log_retention_days   = var.log_retention_days
}

module "observability" {
  source = "./modules/observability"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  prefix                       = local.prefix
  region                       = var.region
  alarm_email                  = var.alarm_email
  api_id                       = module.api.api_id
  api_stage                    = module.api.stage_name
  api_host                     = module.api.api_host
  function_name                = module.api.function_name
  alias_name                   = module.api.alias_name
  db_instance_id               = module.database.instance_id
  db_proxy_name                = module.database.proxy_name
  metrics_namespace            = local.metrics_namespace
  latency_p99_threshold_ms     = var.latency_p99_threshold_ms
  error_rate_threshold_percent = var.error_rate_threshold_percent
}

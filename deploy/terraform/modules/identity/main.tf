data "aws_caller_identity" "current" {}

resource "aws_cognito_user_pool" "this" {
  name                     = var.prefix
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = "OPTIONAL"
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"

  username_configuration {
    case_sensitive = false
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
  }

  software_token_mfa_configuration {
    enabled = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  user_attribute_update_settings {
    attributes_require_verification_before_update = ["email"]
  }

  # Threat protection is billed per monthly active user; off unless asked for.
  user_pool_add_ons {
    advanced_security_mode = var.advanced_security_mode
  }
}

# Roles come from cognito:groups: admin and vendor; a user in no group is a customer.
resource "aws_cognito_user_group" "admin" {
  user_pool_id = aws_cognito_user_pool.this.id
  name         = "admin"
  description  = "Mercato administrators"
  precedence   = 1
}

resource "aws_cognito_user_group" "vendor" {
  user_pool_id = aws_cognito_user_pool.this.id
  name         = "vendor"
  description  = "Mercato vendors"
  precedence   = 2
}

# The hosted sign-in pages serve the OAuth code flow; the prefix must be unique in the
# region, so it carries the account id.
resource "aws_cognito_user_pool_domain" "this" {
  domain       = "${var.prefix}-${data.aws_caller_identity.current.account_id}"
  user_pool_id = aws_cognito_user_pool.this.id
}

# The React SPA is a public client: it cannot keep a secret, so it has none and uses SRP
# or the code flow with PKCE.
resource "aws_cognito_user_pool_client" "spa" {
  name                          = "${var.prefix}-spa"
  user_pool_id                  = aws_cognito_user_pool.this.id
  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = var.callback_urls
  logout_urls                          = var.logout_urls

  access_token_validity  = 15
  id_token_validity      = 15
  refresh_token_validity = 30

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}

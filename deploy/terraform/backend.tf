# The state lives in the S3 bucket made by deploy/bootstrap, locked with its DynamoDB
# table. Nothing is written here so that one configuration serves every environment:
#   terraform init \
#     -backend-config="bucket=$TF_STATE_BUCKET" \
#     -backend-config="key=$TF_STATE_KEY" \
#     -backend-config="region=$AWS_REGION" \
#     -backend-config="dynamodb_table=$TF_LOCK_TABLE" \
#     -backend-config="encrypt=true"
terraform {
  backend "s3" {}
}

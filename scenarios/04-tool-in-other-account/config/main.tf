# A configuration of built-in resources only, whose state lives in another account's bucket. The
# backend's account-specific settings (bucket, endpoints, role) come from backend.hcl at init.
terraform {
  backend "s3" {
    key                     = "network/terraform.tfstate"
    region                  = "us-east-1"
    use_path_style          = true
    use_lockfile            = true
    skip_metadata_api_check = true
  }
}

variable "release" {
  type        = string
  description = "A release label; changing it replaces the resource and reruns its provisioner."
}

variable "started" {
  type        = string
  description = "A file the provisioner creates once it runs (the apply then holds the state lock)."
}

variable "gate" {
  type        = string
  description = "A file the provisioner waits for, so a test can keep the apply (and its lock) open."
}

resource "terraform_data" "release" {
  input            = { release = var.release }
  triggers_replace = [var.release]

  provisioner "local-exec" {
    command = "touch '${var.started}' && while [ ! -e '${var.gate}' ]; do sleep 0.2; done"
  }
}

output "release" {
  value = terraform_data.release.output.release
}

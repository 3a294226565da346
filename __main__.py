"""The Pulumi program: read and validate Pulumi.<stack>.yaml, then build the stack."""

import pulumi

from webstack.program.compose import build_stack
from webstack.program.compose_account import build_account
from webstack.program.config_account import AccountConfig
from webstack.program.config_problems import ConfigError
from webstack.program.stack_settings import from_pulumi_runtime

try:
    stack_config = from_pulumi_runtime()
except ConfigError as error:
    # RunError: the CLI prints the message alone, without a Python traceback.
    raise pulumi.RunError(str(error)) from None

if isinstance(stack_config, AccountConfig):
    build_account(stack_config)  # an account baseline (webstack:kind: account)
else:
    build_stack(stack_config)

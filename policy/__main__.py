"""The only place that constructs the PolicyPack: it starts the analyzer server and never returns."""

from pulumi_policy import EnforcementLevel, PolicyPack

from webstack_policy import sdk_memo
from webstack_policy.catalog import PACK_NAME, build_policies

sdk_memo.install()

PolicyPack(name=PACK_NAME, enforcement_level=EnforcementLevel.MANDATORY, policies=build_policies())

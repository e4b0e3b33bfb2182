"""Who may do what with API keys: Torch Center staff only."""

import rules

from accounts.permissions import is_torch_staff

can_manage_keys = is_torch_staff

rules.add_perm("api.view_apikey", is_torch_staff)
rules.add_perm("api.change_apikey", is_torch_staff)

"""Who may open the dashboards' pages (django-rules predicates)."""

import rules

from accounts.permissions import is_torch_staff
from contests.permissions import is_host_staff

# Training is for host staff; Torch staff publish it and see who read and attended.
may_follow_training = is_host_staff | is_torch_staff

rules.add_perm("dashboards.view_trainingmaterial",
               rules.predicate(lambda user, material: may_follow_training(user)))
rules.add_perm("dashboards.change_trainingmaterial",
               rules.predicate(lambda user, material: is_torch_staff(user)))

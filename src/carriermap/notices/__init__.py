"""Official notices (认定名单): names recognised at a level, applied to the register as one change set.

    plan = plan_notice(store, data, "notice.xlsx", level="national", notice="国科发区〔2023〕x号",
                       date="2023-12-29")
    plan.exact, plan.similar, plan.unmatched, plan.missing   # what the preview shows
    changeset = commit_notice(store, plan, actor="alice", confirm_similar={4, 9}, add_unplaced={12})

Modules: :mod:`.reading` (the file's rows: name, province/locality, operator, address),
:mod:`.matching` (exact, then similar names), :mod:`.plan` (plan and commit).
"""

from carriermap.notices.plan import NoticePlan, NoticeRejected, apply_notice, commit_notice, plan_notice

__all__ = ["NoticePlan", "NoticeRejected", "apply_notice", "commit_notice", "plan_notice"]

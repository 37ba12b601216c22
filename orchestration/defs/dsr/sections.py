"""The readable sections of an access export, each one query over the governance models.

Art. 15(1) GDPR lists what a person must be told besides the copy of their data: purposes (a),
categories (b), recipients (c), storage period (d), source (g). Each section answers one of
those from the dbt marts, for the person's records (``{records}``) and subjects
(``{subjects}``), temporary key tables filled by the caller. The SQL reading other teams'
models lives here only, so a renamed column is fixed in one place.
"""

from __future__ import annotations

from collections.abc import Mapping

#: section name -> (what it answers, SQL).
SECTIONS: Mapping[str, tuple[str, str]] = {
    "subjects": (
        "Who we hold data about and where it came from (Art. 15(1)(g)): source system, channel, "
        "export, first seen, last changed.",
        """select data_subject_id, subject_type, subject_id, person_id, source_system,
                  source_channel, export_id, source_file, first_seen_at, last_changed_at,
                  loaded_at, retention_status, status_reason, rule_id, deadline,
                  has_marketing_objection, is_excluded_from_profiling, open_request_count
           from governance.data_subjects
           where data_subject_id in (select data_subject_id from {subjects})
           order by data_subject_id""",
    ),
    "records_purposes_retention": (
        "Every record with its purposes and legal basis (Art. 15(1)(a)), retention status, rule, "
        "deadline and legal reference (Art. 15(1)(d)), and provenance.",
        """select r.record_key, r.record_table, r.record_id, r.field_name, r.record_type,
                  r.purpose_ids, r.processing_purpose_id, p.purpose_name_de, p.purpose_name_en,
                  r.legal_basis_id, lb.gdpr_article as legal_basis_article,
                  lb.name_de as legal_basis_name_de, lb.name_en as legal_basis_name_en,
                  r.retention_status, r.status_reason, r.rule_id, r.deadline, r.legal_reference,
                  r.source_system, r.export_id, r.source_file, r.loaded_at
           from governance.record_retention_statuses r
           left join policy.purposes p on p.purpose_id = r.processing_purpose_id
           left join policy.legal_bases lb on lb.legal_basis_id = r.legal_basis_id
           where (r.record_table, r.record_id) in (select record_table, record_id from {records})
           order by r.record_key""",
    ),
    "consent_history": (
        "Every consent given or withdrawn, per purpose and channel, and whether it is valid "
        "(Art. 7, Art. 8).",
        """select consent_id, data_subject_id, purpose_id, channel, granted_at, confirmed_at,
                  withdrawn_at, consent_status, is_valid, invalid_reason, has_parental_consent,
                  is_bundled_with_contract, consent_source, consent_text_version,
                  effective_from_at, consent_end_date
           from intermediate.int_consents_validated
           where consent_id in (
               select record_id from {records} where record_table = 'consents')
           order by granted_at, consent_id""",
    ),
    "recipients_marketing_sends": (
        "Marketing messages sent to the person: campaign, purpose, channel, time (Art. 15(1)(c), "
        "origin and recipient log).",
        """select marketing_send_id, subject_type, subject_id, campaign_id, purpose_id, channel,
                  sent_at, _source_system as source_system, _export_id as export_id
           from landing.marketing_sends
           where marketing_send_id in (
               select record_id from {records} where record_table = 'marketing_sends')
           order by sent_at, marketing_send_id""",
    ),
    "recipients_internal_roles": (
        "Which internal roles receive data of each purpose the person's records are processed "
        "for (Art. 15(1)(c), Art. 30).",
        """select purpose_id, purpose_name_de, purpose_name_en, legal_basis_article,
                  legal_reference, recipient_roles
           from governance.processing_activities
           where purpose_id in (
               select distinct trim(unnest(string_split(purpose_ids, ',')))
               from governance.record_retention_statuses
               where (record_table, record_id) in (
                   select record_table, record_id from {records}))
           order by purpose_id""",
    ),
    "data_subject_requests": (
        "Requests the person made (Art. 15-21) with their Art. 12(3) deadlines.",
        """select request_id, data_subject_id, request_type, gdpr_article, request_status,
                  received_at, due_date, completed_at, is_open, is_overdue
           from governance.data_subject_requests
           where request_id in (
               select record_id from {records} where record_table = 'data_subject_requests')
           order by received_at, request_id""",
    ),
    "special_category_findings": (
        "Special categories of data (Art. 9) found in the person's free text, by category and "
        "field; the text itself was redacted when it arrived.",
        """select data_subject_id, record_table, column_name, entity_type, gdpr_article,
                  category_name_de, category_name_en, finding_count, record_count,
                  first_found_at, last_found_at
           from governance.special_category_findings
           where data_subject_id in (select data_subject_id from {subjects})
           order by data_subject_id, record_table, column_name, entity_type""",
    ),
    "scheduled_actions": (
        "What the latest deletion manifest plans for the person's records: deletion, "
        "anonymization or restriction, with reason, rule and due date (Art. 15(1)(d)).",
        """select item_id, action, reason, rule_id, legal_reference, due_date, record_key,
                  column_name
           from governance_ops.deletion_manifest_items
           where manifest_id = (
                   select manifest_id from governance_ops.deletion_manifests
                   order by as_of desc, first_written_at desc limit 1)
             and (record_table, record_id) in (select record_table, record_id from {records})
           order by item_id""",
    ),
}

# Builds request bodies with the official Python SDK's own builders and prints the exact JSON
# they send: a sandbox response configuration (yoti-sandbox 1.3.0, nulls included) on standard
# output and a create-session body (yoti 2.14.6) on standard error.
# Run: pip install yoti-sandbox==1.3.0 yoti==2.14.6 future
#      python py-payloads.py > python-sandbox-approve.json 2> python-create-session.json
import json
from yoti_python_sdk.utils import YotiEncoder
from yoti_python_sandbox.doc_scan import (ResponseConfigBuilder, SandboxCheckReportsBuilder,
    SandboxTaskResultsBuilder, SandboxDocumentFilterBuilder)
from yoti_python_sandbox.doc_scan.check import *
from yoti_python_sandbox.doc_scan.check.report.recommendation import SandboxRecommendationBuilder
from yoti_python_sandbox.doc_scan.check.report.breakdown import SandboxBreakdownBuilder
from yoti_python_sandbox.doc_scan.task import *

approve = lambda: SandboxRecommendationBuilder().with_value("APPROVE").build()
ok = lambda name: SandboxBreakdownBuilder().with_sub_check(name).with_result("PASS").build()
config = (ResponseConfigBuilder()
  .with_check_reports(SandboxCheckReportsBuilder()
    .with_document_authenticity_check(SandboxDocumentAuthenticityCheckBuilder().with_recommendation(approve()).with_breakdown(ok("security_features")).build())
    .with_document_face_match_check(SandboxDocumentFaceMatchCheckBuilder().with_recommendation(approve()).with_breakdown(ok("ai_face_match")).build())
    .with_document_text_data_check(SandboxDocumentTextDataCheckBuilder().with_recommendation(approve()).with_breakdown(ok("document_in_date")).with_document_fields({"full_name": "John Doe"}).build())
    .with_liveness_check(SandboxZoomLivenessCheckBuilder().with_recommendation(approve()).with_breakdown(ok("liveness_auth")).build())
    .with_id_document_comparison_check(SandboxIdDocumentComparisonCheckBuilder().with_recommendation(approve()).build())
    .with_supplementary_document_text_data_check(SandboxSupplementaryDocumentTextDataCheckBuilder().with_recommendation(approve()).build())
    .build())
  .with_task_results(SandboxTaskResultsBuilder()
    .with_text_extraction_task(SandboxDocumentTextDataExtractionTaskBuilder()
      .with_document_fields({"full_name": "John Doe", "nationality": "GBR"})
      .with_document_id_photo("image/jpeg", b"\xff\xd8\xff\xe0photo")
      .with_document_filter(SandboxDocumentFilterBuilder().with_document_type("PASSPORT").with_country_code("GBR").build())
      .build())
    .with_supplementary_document_text_extraction_task(SandboxSupplementaryDocumentTextDataExtractionTaskBuilder()
      .with_document_fields({"address": "1 Street"})
      .build())
    .build())
  .build())
print(json.dumps(config, cls=YotiEncoder, indent=2))

# A session built with the official Python SDK's own builders (yoti 2.14.6).
from yoti_python_sdk.doc_scan.session.create.session_spec import SessionSpecBuilder
from yoti_python_sdk.doc_scan.session.create.check.document_authenticity import RequestedDocumentAuthenticityCheckBuilder
from yoti_python_sdk.doc_scan.session.create.check.liveness import RequestedLivenessCheckBuilder
from yoti_python_sdk.doc_scan.session.create.check.watchlist_screen import WatchlistScreeningCheckBuilder
from yoti_python_sdk.doc_scan.session.create.filter.document_restrictions_filter import DocumentRestrictionsFilterBuilder, DocumentRestrictionBuilder
from yoti_python_sdk.doc_scan.session.create.filter.required_id_document import RequiredIdDocumentBuilder
from yoti_python_sdk.doc_scan.session.create.filter.required_supplementary_document import RequiredSupplementaryDocumentBuilder
from yoti_python_sdk.doc_scan.session.create.objective.proof_of_address_objective import ProofOfAddressObjectiveBuilder
session = (SessionSpecBuilder()
  .with_client_session_token_ttl(600)
  .with_requested_check(RequestedDocumentAuthenticityCheckBuilder().build())
  .with_requested_check(RequestedLivenessCheckBuilder().for_static_liveness().with_max_retries(1).build())
  .with_requested_check(WatchlistScreeningCheckBuilder().with_categories(["ADVERSE-MEDIA", "SANCTIONS"]).build())
  .with_required_document(RequiredIdDocumentBuilder().with_filter(DocumentRestrictionsFilterBuilder().for_whitelist()
     .with_document_restriction(DocumentRestrictionBuilder().with_document_types(["PASSPORT"]).with_country_codes(["GBR"]).build()).build()).build())
  .with_required_document(RequiredSupplementaryDocumentBuilder().with_objective(ProofOfAddressObjectiveBuilder().build())
     .with_document_types(["UTILITY_BILL"]).with_country_codes(["GBR"]).build())
  .build())
import sys
print(json.dumps(session, cls=YotiEncoder, indent=2), file=sys.stderr)

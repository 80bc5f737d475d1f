// Builds create-session bodies with the official Node SDK's own builders (yoti 4.13.2) and
// prints them as JSON. Run: npm install yoti@4.13.2 && node node-payloads.js > node-create-session.json
const Y = require('yoti');
const out = {};
const spec = (f) => JSON.parse(JSON.stringify(f(new Y.SessionSpecificationBuilder()).build()));

out.checks_and_documents = spec((b) => b
  .withClientSessionTokenTtl(600)
  .withResourcesTtl(90000)
  .withUserTrackingId('some-user-tracking-id')
  .withRequestedCheck(new Y.RequestedDocumentAuthenticityCheckBuilder().build())
  .withRequestedCheck(new Y.RequestedLivenessCheckBuilder().forStaticLiveness().withMaxRetries(3).build())
  .withRequestedCheck(new Y.RequestedFaceMatchCheckBuilder().withManualCheckFallback().build())
  .withRequestedCheck(new Y.RequestedFaceComparisonCheckBuilder().withManualCheckNever().build())
  .withRequestedCheck(new Y.RequestedWatchlistScreeningCheckBuilder().withAdverseMediaCategory().withSanctionsCategory().build())
  .withRequestedCheck(new Y.RequestedWatchlistAdvancedCaCheckBuilder()
    .withConfig(new Y.RequestedYotiAccountWatchlistAdvancedCaConfigBuilder()
      .withRemoveDeceased(true).withShareUrl(true)
      .withSources(new Y.RequestedTypeListSourcesBuilder().withTypes(['pep', 'fitness-probity']).build())
      .withMatchingStrategy(new Y.RequestedFuzzyMatchingStrategyBuilder().withFuzziness(0.5).build())
      .build())
    .build())
  .withRequestedCheck(new Y.RequestedWatchlistAdvancedCaCheckBuilder()
    .withConfig(new Y.RequestedCustomAccountWatchlistAdvancedCaConfigBuilder()
      .withApiKey('api-key').withMonitoring(true).withTags({ team: 'kyc' }).withClientRef('ref-1')
      .withRemoveDeceased(false).withShareUrl(false)
      .withSources(new Y.RequestedSearchProfileSourcesBuilder().withSearchProfile('profile-1').build())
      .withMatchingStrategy(new Y.RequestedExactMatchingStrategyBuilder().build())
      .build())
    .build())
  .withRequestedCheck(new Y.RequestedIdDocumentComparisonCheckBuilder().build())
  .withRequestedCheck(new Y.RequestedThirdPartyIdentityCheckBuilder().build())
  .withRequestedTask(new Y.RequestedTextExtractionTaskBuilder().withManualCheckFallback().build())
  .withRequestedTask(new Y.RequestedSupplementaryDocTextExtractionTaskBuilder().withManualCheckAlways().build())
  .withRequiredDocument(new Y.RequiredIdDocumentBuilder()
    .withFilter(new Y.DocumentRestrictionsFilterBuilder().forWhitelist()
      .withDocumentRestriction(new Y.DocumentRestrictionBuilder().withDocumentTypes(['PASSPORT']).withCountries(['GBR', 'FRA']).build())
      .withAllowExpiredDocuments(false).withAllowNonLatinDocuments(true)
      .build())
    .build())
  .withRequiredDocument(new Y.RequiredSupplementaryDocumentBuilder()
    .withObjective(new Y.ProofOfAddressObjectiveBuilder().build())
    .withDocumentTypes(['UTILITY_BILL', 'BANK_STATEMENT'])
    .withCountryCodes(['GBR'])
    .build())
  .withSdkConfig(new Y.SdkConfigBuilder().withAllowsCameraAndUpload().withPrimaryColour('#2d9fff').withLocale('en-GB').withBiometricConsentFlow('EARLY').withAllowHandoff(true).build())
  .withNotifications(new Y.NotificationConfigBuilder().withEndpoint('https://example.com/hook').withAuthToken('token').forCheckCompletion().forSessionCompletion().build()));

out.identity_profile = spec((b) => b
  .withClientSessionTokenTtl(600)
  .withIdentityProfileRequirements({ trust_framework: 'UK_TFIDA', scheme: { type: 'DBS', objective: 'BASIC' } })
  .withSubject({ subject_id: 'some-subject-id' })
  .withSdkConfig(new Y.SdkConfigBuilder().withAllowsCameraAndUpload().build()));

out.advanced_identity_profile = spec((b) => b
  .withAdvancedIdentityProfileRequirements(new Y.AdvancedIdentityProfileRequirementsBuilder()
    .withProfile(new Y.AdvancedIdentityProfileBuilder().withTrustFramework('UK_TFIDA')
      .withScheme(new Y.AdvancedIdentityProfileSchemeBuilder().withType('RTW').withLabel('label-for-RTW').build())
      .build())
    .withProfile(new Y.AdvancedIdentityProfileBuilder().withTrustFramework('YOTI_GLOBAL')
      .withScheme(new Y.AdvancedIdentityProfileSchemeBuilder().withType('IDENTITY').withObjective('AL_L1').withLabel('label-for-IDENTITY')
        .withConfig(new (require('yoti/src/idv_service/session/create/identity_profile/advanced/advanced.identity.profile.scheme.config.builder'))()
          .withFilter(new Y.DocumentRestrictionsFilterBuilder().forBlacklist()
            .withDocumentRestriction(new Y.DocumentRestrictionBuilder().withDocumentTypes(['DRIVING_LICENCE']).build()).build())
          .build())
        .build())
      .build())
    .build())
  .withSubject({ subject_id: 'some-subject-id' }));

console.log(JSON.stringify(out, null, 2));

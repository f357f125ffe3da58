/**
 * The privacy policy's words, as messages (public/_locales). Its version, date and contact come from
 * src/shared/domain/policy.ts; when these words change what is collected or sent, add a version there with
 * `changesCollection: true` so people are asked again — in every language at once.
 *
 * Each section is a heading and blocks: a string is a paragraph, an array of strings is a bulleted list.
 */
import { t } from './i18n';
import { scopeText } from './scopeText';

interface PolicySection {
  heading: string;
  blocks: ReadonlyArray<string | readonly string[]>;
}

/** The policy's sections in the current language, looked up when rendered. */
export function policySections(): readonly PolicySection[] {
  const label = {
    usage: scopeText.usage.label,
    account: scopeText.account.label,
    uploadUsage: scopeText.uploadUsage.label,
    uploadAccount: scopeText.uploadAccount.label,
  };
  return [
    { heading: t('policyPermissionsHeading'), blocks: [t('policyPermissionsBody')] },
    {
      heading: t('policyScopesHeading'),
      blocks: [
        [
          t('policyScopesUsage', label.usage),
          t('policyScopesAccount', label.account),
          t('policyScopesUploadUsage', label.uploadUsage),
          t('policyScopesUploadAccount', label.uploadAccount),
        ],
        t('policyScopesDependencies', label.usage, label.account, label.uploadUsage),
      ],
    },
    {
      heading: t('policyNeverHeading'),
      blocks: [
        [
          t('policyNeverMessages'),
          t('policyNeverPasswords'),
          t('policyNeverPayment'),
          t('policyNeverPrivateWindows'),
          t('policyNeverOtherSites'),
        ],
      ],
    },
    {
      heading: t('policyStorageHeading'),
      blocks: [
        t('policyStorageBody'),
        t('policyStorageInstagramImport'),
        t('policyStorageFollowerLists', label.account),
      ],
    },
    {
      heading: t('policySendingHeading'),
      blocks: [
        t('policySendingWhen'),
        t('policySendingWhat', label.uploadAccount),
        t('policySendingDeletion', t('remoteDeletionOpen')),
        t('policySendingComparison'),
        t('policySendingUse'),
        t('policySendingNoSale'),
      ],
    },
    {
      heading: t('policyRightsHeading'),
      blocks: [
        [
          t('policyRightsExport'),
          t('policyRightsImport'),
          t('policyRightsDelete'),
          t('policyRightsRetention'),
          t('policyRightsWithdraw'),
          t('policyRightsReview'),
        ],
      ],
    },
    { heading: t('policyChangesHeading'), blocks: [t('policyChangesBody')] },
  ];
}

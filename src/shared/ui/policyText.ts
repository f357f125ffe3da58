/**
 * The privacy policy's words. Its version, date and contact come from src/shared/policy.ts; when these words change
 * what is collected or sent, add a version there with `changesCollection: true` so people are asked again.
 *
 * Each section is a heading and blocks: a string is a paragraph, an array of strings is a bulleted list.
 */
import { scopeText } from './scopeText';

interface PolicySection {
  heading: string;
  blocks: ReadonlyArray<string | readonly string[]>;
}

export const policyIntro =
  'smartTags is a browser extension that shows you how you use Instagram on the web. This policy says what it collects, where that data is kept, when it leaves your device, and what you can do about it.';

export const policySections: readonly PolicySection[] = [
  {
    heading: 'Nothing without your permission',
    blocks: [
      'smartTags asks for four separate permissions. All four start off, and nothing is collected until you turn one on. You can turn each one on or off at any time from the smartTags button in the toolbar or from the options page.',
    ],
  },
  {
    heading: 'What each permission collects',
    blocks: [
      [
        `“${scopeText.usage.label}”: the time you spend on each part of Instagram (feed, Explore, hashtag pages, Reels, Stories, messages, posts and profiles), at which hours and in how many sessions, how many posts, reels and stories you view, and the hashtags you see and use. Each Instagram page you open is noted only by its kind and time, never by its address, because an address can name other people or a conversation.`,
        `“${scopeText.account.label}”: your Instagram username and your own account’s follower, following and post counts, kept as a daily snapshot of the numbers as they were when seen. Without it, the account features do not run.`,
        `“${scopeText.uploadUsage.label}”: lets smartTags send the usage data above without your username, together with your browser and its version, operating system, device type (desktop, mobile or tablet), time zone and the country that time zone implies. smartTags never looks up your IP address or your internet provider.`,
        `“${scopeText.uploadAccount.label}”: lets smartTags send your username with your account’s daily snapshots, so that your own account can be analysed over time.`,
      ],
      `Sending usage data needs “${scopeText.usage.label}” to be on, and sending account analytics needs both “${scopeText.account.label}” and “${scopeText.uploadUsage.label}”. Turning a permission off also turns off every permission that depends on it.`,
    ],
  },
  {
    heading: 'What smartTags never collects',
    blocks: [
      [
        'The text of your messages: smartTags notes only the time you spend in Instagram’s messages.',
        'Passwords, or anything you type into forms.',
        'Payment or card details.',
        'Anything in private windows: smartTags does not run in them.',
        'Anything on other websites. smartTags works only on www.instagram.com. Sites linked from smartTags or from Instagram have their own privacy practices, and smartTags collects nothing there.',
      ],
    ],
  },
  {
    heading: 'Where your data is kept',
    blocks: [
      'Everything smartTags records is stored in your browser on this device, in the extension’s own storage. It stays there unless you turn on one of the sending permissions.',
    ],
  },
  {
    heading: 'When data leaves your device',
    blocks: [
      'Only if you have turned on a sending permission and chosen a smartTags server in the Sync settings, only over an encrypted (HTTPS) connection (plain HTTP only to a server on your own computer), and only to that server. Before you turn sending on you can preview exactly what would be sent; afterwards the upload log shows what was sent and when.',
      'What is sent: your finished days of use — time per part of Instagram, sessions, hours, views and hashtags, without your username — with your browser and its version, operating system, device type, time zone, and the country your time zone belongs to (never worked out from your IP address). Only with “Send my account analytics” on: your username and your account’s daily follower, following and post counts. The server knows you only by a random pseudonymous id.',
      'Turning a sending permission off, or “Delete my data on the server”, asks the server to delete everything it holds about you, and keeps asking until it confirms; you see the receipt. Anything sent later starts under a new pseudonymous id.',
      'Data that is sent is used to show you your own reports and to build aggregate statistics — never your raw browsing — that help improve smartTags’ design and content. Your username and account data are used only to analyse your own use.',
      'We do not sell your data, and we do not share it with advertisers.',
    ],
  },
  {
    heading: 'What you can do',
    blocks: [
      [
        'Export: download everything smartTags stores as one JSON file, or as CSV tables for a spreadsheet.',
        'Import: load an export file back, either adding what is missing or replacing your recorded data with the file’s. Your permissions are never imported: a file cannot give consent.',
        'Delete: delete all recorded data at any time; it is deleted from this device at once. If anything was sent, deleting also asks the server to delete what it holds, and keeps asking until the server confirms.',
        'Retention: keep recorded data for 30, 90 or 365 days, or until you delete it. Older data is then deleted automatically.',
        'Withdraw: turning a permission off takes effect immediately, and collecting or sending under it stops at once. What was already recorded stays on your device until you delete it.',
        'Review: each time you turn a permission on or off, smartTags notes when, where, and under which policy version. You can see this history on the options page; deleting your data keeps it, along with your choices, so smartTags keeps honouring them.',
      ],
    ],
  },
  {
    heading: 'Changes to this policy',
    blocks: [
      'This policy has a version number. If a new version changes what is collected or sent, smartTags tells you and pauses sending until you agree to it; you can stop sending instead. Versions that only change the wording do not ask you again.',
    ],
  },
];

export const contactHeading = 'Contact';
export const contactLead = 'Questions about your privacy or this policy: write to ';

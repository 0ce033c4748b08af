import { describe, expect, it } from 'vitest';
import { approvalNotice, approvalsLine, fileSize, notificationButtons, notificationText, recipientWords, shouldNotify, type ApprovalSummary } from '../../../src/main/approval-notices.js';

const SUMMARY: ApprovalSummary = {
  recipient: { chat_id: '15550100001@c.us', number: '15550100001', name: 'Alice', is_group: false },
  requested_by: 'Claude Code',
  reason_text: 'nobody has written to this recipient from this account before',
  messages: [{ kind: 'text', text: 'Hello Alice,\nthe report is attached.', files: [] }],
};

describe('when a held send gets a native notification', () => {
  it.each([
    ['window closed or hidden', { state: 'pending', windowInFront: false, supported: true }, true],
    ['window on screen and focused: the panel shows it', { state: 'pending', windowInFront: true, supported: true }, false],
    ['no notifications on this desktop', { state: 'pending', windowInFront: false, supported: false }, false],
    ['approved elsewhere', { state: 'approved', windowInFront: false, supported: true }, false],
    ['denied', { state: 'denied', windowInFront: false, supported: true }, false],
    ['expired', { state: 'expired', windowInFront: false, supported: true }, false],
    ['canceled', { state: 'canceled', windowInFront: false, supported: true }, false],
  ] as const)('%s → %s', (_name, situation, expected) => {
    expect(shouldNotify(situation)).toBe(expected);
  });
});

describe('what the notification says', () => {
  it.each([
    ['darwin', ['Approve', 'Deny']],
    ['win32', ['Approve', 'Deny']],
    ['linux', []],
  ] as const)('on %s the buttons are %j (elsewhere a click opens the window at the approval)', (platform, buttons) => {
    expect(notificationButtons(platform)).toEqual(buttons);
    expect(approvalNotice(SUMMARY, platform).actions).toEqual(buttons.map((text) => ({ type: 'button', text })));
  });

  it('names the recipient with the number, who asks, the text on one line, and why it is held', () => {
    expect(approvalNotice(SUMMARY, 'darwin')).toMatchObject({
      title: 'Approve a send to Alice (+15550100001)?',
      body: 'Claude Code asks to send “Hello Alice, the report is attached.”\nHeld because nobody has written to this recipient from this account before.',
    });
  });

  it('with several accounts, the title names the account the send would go from; the body is the same', () => {
    const one = approvalNotice(SUMMARY, 'darwin');
    const named = approvalNotice(SUMMARY, 'darwin', 'Work phone');
    expect(named.title).toBe('Approve a send from Work phone to Alice (+15550100001)?');
    expect(named.body).toBe(one.body);
    expect(approvalNotice(SUMMARY, 'darwin', null).title).toBe(one.title);
  });

  it('lists the files of a media send with their sizes, and shortens a long text', () => {
    const media: ApprovalSummary = {
      ...SUMMARY,
      recipient: { chat_id: '120363000000000001@g.us', number: null, name: 'Family', is_group: true },
      messages: [{ kind: 'media', text: 'x'.repeat(400), files: [{ filename: 'report.pdf', size: 12_800 }, { filename: null, size: 3_500_000 }] }],
    };
    const notice = approvalNotice(media, 'win32');
    expect(notice.title).toBe('Approve a send to Family (group)?');
    const [asks, files] = notice.body.split('\n');
    expect([...asks!.match(/“(.*)”/)![1]!]).toHaveLength(160);
    expect(files).toBe('Files: report.pdf (13 KB), a file (3.3 MB)');
  });

  it('regression guard: on Linux the body is markup to the notification server — an agent\'s <a href> arrives as text', () => {
    const hostile = { ...SUMMARY, messages: [{ kind: 'text', text: '<a href="https://evil.example">Tap to verify</a> & <b>now</b>', files: [] }] };
    const body = approvalNotice(hostile, 'linux').body;
    expect(body).toContain('&lt;a href="https://evil.example"&gt;Tap to verify&lt;/a&gt; &amp; &lt;b&gt;now&lt;/b&gt;');
    expect(body).not.toMatch(/<a|<b>/);
    // macOS and Windows show the body as plain text already: escaping would show "&lt;".
    expect(approvalNotice(hostile, 'darwin').body).toContain('<a href="https://evil.example">');
    expect(notificationText('a < b', 'win32')).toBe('a < b');
  });

  it('words counts, sizes and recipients', () => {
    expect([approvalsLine(1), approvalsLine(2)]).toEqual(['1 send waiting for approval', '2 sends waiting for approval']);
    expect([fileSize(900), fileSize(2048), fileSize(5 * 1024 * 1024)]).toEqual(['900 B', '2 KB', '5.0 MB']);
    expect(recipientWords({ chat_id: '15550100002@c.us', number: '15550100002', name: null, is_group: false })).toBe('+15550100002');
  });
});

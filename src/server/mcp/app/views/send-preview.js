// The send-preview card (ui://whatsapp/send-preview), shown with whatsapp_get_send_status:
// who the message is for (name and number), what it says, its files, and where it stands.
// It has no approve or deny button on purpose: the agent that asked for a send must not be
// able to approve it, so the card says where a person does (the window or the dashboard).

/** Statuses in which the send still moves by itself: the card keeps asking. */
const PENDING = new Set(['awaiting_approval', 'queued', 'sending']);

const STATUS_WORDS = {
  awaiting_approval: { tone: 'busy', title: 'Waiting for your approval', sentence: 'Not sent yet: a person must approve it first.' },
  queued: { tone: 'busy', title: 'Queued', sentence: 'It goes out as soon as WhatsApp is ready and the sending pace allows.' },
  sending: { tone: 'busy', title: 'Sending…', sentence: 'WhatsApp is sending it now.' },
  sent: { tone: 'ok', title: 'Sent', sentence: 'WhatsApp has it.' },
  delivered: { tone: 'ok', title: 'Delivered', sentence: 'It reached the recipient’s phone.' },
  read: { tone: 'ok', title: 'Read', sentence: 'The recipient has read it.' },
  failed: { tone: 'error', title: 'Not sent', sentence: 'It failed; the reason is below.' },
  canceled: { tone: 'idle', title: 'Canceled', sentence: 'It was not sent and will not be.' },
};
const TEXT_LABELS = { text: 'Message', media: 'Caption', poll: 'Poll', location: 'Place', reaction: 'Reaction', forward: 'Forwarded' };

let entry = null;
/** Names already looked up, by chat id (null: none found). */
const names = new Map();

function size(bytes) {
  if (typeof bytes !== 'number') return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "+15550100001" for a person's chat; null for a group or an id without a number. */
function numberOf(chatId) {
  const m = /^(\d+)@c\.us$/.exec(chatId);
  return m ? `+${m[1]}` : null;
}

function field(id, text) {
  const shown = Boolean(text);
  setText(id, text || '');
  show(id, shown);
  show(`${id}-label`, shown);
}

function render(e) {
  entry = e;
  const words = STATUS_WORDS[e.status] || { tone: 'idle', title: e.status, sentence: '' };
  $('dot').dataset.tone = words.tone;
  document.body.dataset.status = e.status;
  setText('title', words.title);
  setText('sentence', words.sentence);
  show('where', e.status === 'awaiting_approval');

  const error = e.error ? e.error.message || e.error.code : '';
  setText('error', error);
  show('error', Boolean(error));

  const isGroup = /@g\.us$/.test(e.chat_id);
  const number = numberOf(e.chat_id);
  const name = names.get(e.chat_id);
  setText('to-name', name || (isGroup ? 'A group' : number ? '' : e.chat_id));
  setText('to-number', isGroup ? (name ? '(group)' : e.chat_id) : number || '');

  setText('text-label', TEXT_LABELS[e.kind] || 'Message');
  field('text', e.text);

  const approval = e.approval || null;
  const files = approval && Array.isArray(approval.files) ? approval.files : [];
  const list = $('files');
  list.replaceChildren(
    ...files.map((f) => {
      const li = document.createElement('li');
      li.textContent = [f.filename || '(no name)', [f.mimetype, size(f.size)].filter(Boolean).join(', ')].filter(Boolean).join(' — ');
      return li;
    }),
  );
  if (!files.length && e.kind === 'media') {
    const li = document.createElement('li');
    li.textContent = 'A file';
    list.append(li);
  }
  show('files-box', list.childElementCount > 0);
  show('files-label', list.childElementCount > 0);
  field('reason', approval ? approval.reason_text : '');
  field('asked', approval ? approval.requested_by : '');
  field('decided', approval && approval.decided_by ? `${approval.decided_by}${approval.decision ? ` (${approval.decision})` : ''}` : '');

  setText('outbox-id', e.id);
  setText('updated', e.updated_at ? `updated ${new Date(e.updated_at).toLocaleString()}` : '');
  show('meta', true);
  show('fields', true);

  if (PENDING.has(e.status)) polling.start();
  else polling.stop();
}

function renderResult(result) {
  if (result.isError) {
    setText('title', 'Send not found');
    setText('error', errorWords(resultText(result)));
    show('error', true);
    return;
  }
  const data = resultData(result);
  if (data && data.entry) {
    render(data.entry);
    lookUpName(data.entry.chat_id);
  }
}

/** The recipient's name from the contacts (or the group's), once per chat; the number alone if none. */
async function lookUpName(chatId) {
  if (names.has(chatId)) return;
  names.set(chatId, null);
  let name = null;
  try {
    if (/@g\.us$/.test(chatId)) {
      const found = (resultData(await callTool(app, 'whatsapp_list_groups')).groups || []).find((g) => g.id === chatId);
      name = found ? found.name : null;
    } else {
      const digits = chatId.replace(/@.*/, '');
      const contacts = resultData(await callTool(app, 'whatsapp_search_contacts', { query: digits, limit: 5 })).contacts || [];
      const found = contacts.find((c) => c.id === chatId || c.number === digits);
      name = found ? found.name || found.pushname : null;
    }
  } catch {
    // WhatsApp not ready, or this client may not read contacts: the number says who it is.
  }
  names.set(chatId, name);
  if (name && entry && entry.chat_id === chatId) render(entry);
}

const polling = poller(
  async () => {
    if (!entry) return false;
    renderResult(await callTool(app, 'whatsapp_get_send_status', { outbox_id: entry.id }));
    return PENDING.has(entry.status);
  },
  () => undefined,
);

const { app, ready } = connectView('whatsapp-send-preview', {
  onResult: renderResult,
  onTeardown: () => polling.stop(),
});
ready.catch(connectFailed);

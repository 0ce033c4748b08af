/** Tiny files with real signatures, so content sniffing sees what a real upload would be. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypisom', 'ascii'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isomiso2', 'ascii'),
  Buffer.alloc(64),
]);

export const OGG_OPUS = Buffer.concat([Buffer.from('OggS', 'ascii'), Buffer.alloc(24), Buffer.from('OpusHead', 'ascii'), Buffer.alloc(64)]);

export const PDF = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

export const b64 = (b: Buffer): string => b.toString('base64');

import QRCode from 'qrcode';

/**
 * A PNG of the QR code as a data: URL, for the window, the link page and /api/qr, with the
 * 4-module white border (quiet zone) the QR standard asks for, so phones read it on any background.
 */
export function qrImage(qr: string): Promise<string> {
  return QRCode.toDataURL(qr, { errorCorrectionLevel: 'L', margin: 4, scale: 8 });
}

import QRCode from 'qrcode';

/** A PNG of the QR code as a data: URL, for the window, the link page and /api/qr. */
export function qrImage(qr: string): Promise<string> {
  return QRCode.toDataURL(qr, { errorCorrectionLevel: 'L', margin: 2, scale: 8 });
}

import type { CommandModule } from '../common/command-registry';
import { onBoard } from '../boards';
import { resolveCertificate } from '../boards/certificate-picker';
import { certificateText } from '../boards/cli-text';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device certificate show: subject, issuer and validity of one certificate in the board's store. */
export const showDeviceCertificate: CommandModule<Services> = {
  id: CommandId.showDeviceCertificate,
  async run({ devices }, arg) {
    const { board, certificateId } = await resolveCertificate(devices.model, arg, 'Show which certificate?');
    const client = await devices.model.client(board.key);
    const details = await onBoard(board, `read certificate "${certificateId}"`, () => client.getCertificate(certificateId));
    devices.reports.show(`Certificate "${certificateId}" on ${board.label}`, certificateText(details));
    return details;
  },
};

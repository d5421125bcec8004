import type { CommandModule } from '../common/command-registry';
import { onBoard, resolveBoard } from '../boards';
import { installedImagesText } from '../boards/cli-text';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device image list-installed --full: GET /images. */
export const listInstalledImages: CommandModule<Services> = {
  id: CommandId.listInstalledImages,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { preferSelected: true, purpose: 'Installed images of which board?' });
    const client = await devices.model.client(board.key);
    const images = await onBoard(board, 'list the installed images', () => client.listImages());
    devices.reports.show(`Installed images: ${board.label}`, installedImagesText(images));
    return images;
  },
};

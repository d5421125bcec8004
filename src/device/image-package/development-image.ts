// Whether a package needs a board in development mode: it is signed with the SDK's app-development test certificate,
// or marked "under development" (its Temporary Image section). A board installs such a package only with the
// AppDevelopment capability (docs/image-package.md#signature).
import { APP_DEVELOPMENT_SIGNING_THUMBPRINT } from './format';
import type { ImagePackageInfo } from './types';

export function isDevelopmentImage(info: Pick<ImagePackageInfo, 'underDevelopment' | 'signingThumbprint'>): boolean {
  return info.underDevelopment || info.signingThumbprint === APP_DEVELOPMENT_SIGNING_THUMBPRINT;
}

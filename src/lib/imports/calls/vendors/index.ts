import { CUCM } from './cucm';
import { HUAWEI_CEC } from './huawei-cec';
import type { VendorPreset } from './preset';
import { SMDR } from './smdr';
import { THREECX } from './threecx';
import { YEASTAR } from './yeastar';
import { YEASTAR_S } from './yeastar-s';

/** The PBX vendors recognised without a mapping (docs/pbx-exports.md), in the order they are tried. */
export const VENDOR_PRESETS: VendorPreset[] = [THREECX, YEASTAR, YEASTAR_S, SMDR, CUCM, HUAWEI_CEC];

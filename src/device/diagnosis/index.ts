// The connection doctor's public surface (plain TypeScript; the VS Code layer is src/doctor/).
export { runConnectionDoctor, diagnoseConnection, COMMON_BAUD_RATES } from './doctor';
export { renderReport, mainFinding, describeTarget, type ReportHeader } from './report';
export { CHECK_IDS, CHECK_TITLES, type CheckId, type CheckResult, type CheckStatus, type DoctorEvent, type DoctorOptions, type DoctorTarget } from './types';

/**
 * Restricted API keys: which permission each emulated operation needs, in one table, and how a
 * key's policy is checked against it.
 *
 * Twilio names permissions `/twilio/{product}/{resource}/{action}`; `read` fetches one resource by
 * SID and `list` reads the collection (they are separate permissions, as Twilio's live API shows:
 * a key with only `/twilio/messaging/messages/read` cannot list messages). `{resource}/*` grants
 * every action on the resource. Each entry says where its name comes from (docs/emulator.md,
 * "API keys", lists the sources):
 *
 * - `twilio`: Twilio's published permission lists for Restricted API keys (Messaging, Phone
 *   Numbers, Regulatory Compliance), or observed on Twilio's live API;
 * - `public`: seen in public code that creates restricted keys against Twilio, not in the lists;
 * - `emulator`: no published permission was found for this operation; the emulator uses the
 *   closest documented name (Trust Hub → Regulatory Compliance) or one of its own
 *   (`…a2p.brand-registrations…`). Real Twilio may name it differently, or not let restricted
 *   keys call it at all.
 */

export type PermissionSource = "twilio" | "public" | "emulator";

export interface OperationPermission {
  permission: string;
  source: PermissionSource;
}

const p = (permission: string, source: PermissionSource = "twilio"): OperationPermission => ({
  permission,
  source,
});

const NUMBERS = "/twilio/phone-numbers";
const MESSAGING = "/twilio/messaging";
const COMPLIANCE = `${NUMBERS}/regulatory-compliance`;

/** operationId (Twilio's OpenAPI descriptions) → the permission a restricted key needs. */
export const OPERATION_PERMISSIONS: Readonly<Record<string, OperationPermission>> = {
  // 2010 API: phone numbers
  ListAvailablePhoneNumberLocal: p(`${NUMBERS}/available-numbers/list`),
  ListIncomingPhoneNumber: p(`${NUMBERS}/active-numbers/list`),
  FetchIncomingPhoneNumber: p(`${NUMBERS}/active-numbers/read`),
  CreateIncomingPhoneNumber: p(`${NUMBERS}/active-numbers/create`),
  UpdateIncomingPhoneNumber: p(`${NUMBERS}/active-numbers/update`),
  DeleteIncomingPhoneNumber: p(`${NUMBERS}/active-numbers/delete`),
  // 2010 API: messages
  ListMessage: p(`${MESSAGING}/messages/list`),
  FetchMessage: p(`${MESSAGING}/messages/read`),
  CreateMessage: p(`${MESSAGING}/messages/create`),
  // 2010 API: addresses (Twilio lists read and create "for Twilio Address APIs required by TrustHub")
  ListAddress: p(`${NUMBERS}/address-service/read`),
  FetchAddress: p(`${NUMBERS}/address-service/read`),
  CreateAddress: p(`${NUMBERS}/address-service/create`),
  UpdateAddress: p(`${NUMBERS}/address-service/update`, "emulator"),
  DeleteAddress: p(`${NUMBERS}/address-service/delete`, "emulator"),
  // Messaging v1: services and their sender pools
  ListService: p(`${MESSAGING}/services/list`),
  FetchService: p(`${MESSAGING}/services/read`),
  CreateService: p(`${MESSAGING}/services/create`),
  UpdateService: p(`${MESSAGING}/services/update`),
  DeleteService: p(`${MESSAGING}/services/delete`),
  ListPhoneNumber: p(`${MESSAGING}/services.phonenumbers/list`),
  FetchPhoneNumber: p(`${MESSAGING}/services.phonenumbers/read`),
  CreatePhoneNumber: p(`${MESSAGING}/services.phonenumbers/create`),
  DeletePhoneNumber: p(`${MESSAGING}/services.phonenumbers/delete`),
  // Messaging v1: US A2P 10DLC
  FetchUsecase: p(`${MESSAGING}/services/list`, "emulator"),
  FetchUsAppToPersonUsecase: p(`${MESSAGING}/services.usa2p-usecase/list`),
  ListUsAppToPerson: p(`${MESSAGING}/services.usa2p-campaign/list`),
  FetchUsAppToPerson: p(`${MESSAGING}/services.usa2p-campaign/read`),
  CreateUsAppToPerson: p(`${MESSAGING}/services.usa2p-campaign/create`),
  UpdateUsAppToPerson: p(`${MESSAGING}/services.usa2p-campaign/update`, "emulator"),
  DeleteUsAppToPerson: p(`${MESSAGING}/services.usa2p-campaign/delete`),
  ListBrandRegistrations: p(`${MESSAGING}/a2p.brand-registrations/list`, "emulator"),
  FetchBrandRegistrations: p(`${MESSAGING}/a2p.brand-registrations/read`, "emulator"),
  CreateBrandRegistrations: p(`${MESSAGING}/a2p.brand-registrations/create`, "emulator"),
  UpdateBrandRegistrations: p(`${MESSAGING}/a2p.brand-registrations/update`, "emulator"),
  // Trust Hub, on the Regulatory Compliance names
  ListCustomerProfile: p(`${COMPLIANCE}.bundles/list`, "emulator"),
  FetchCustomerProfile: p(`${COMPLIANCE}.bundles/read`, "emulator"),
  CreateCustomerProfile: p(`${COMPLIANCE}.bundles/create`, "emulator"),
  UpdateCustomerProfile: p(`${COMPLIANCE}.bundles/update`, "emulator"),
  DeleteCustomerProfile: p(`${COMPLIANCE}.bundles/delete`, "emulator"),
  ListTrustProduct: p(`${COMPLIANCE}.bundles/list`, "emulator"),
  FetchTrustProduct: p(`${COMPLIANCE}.bundles/read`, "emulator"),
  CreateTrustProduct: p(`${COMPLIANCE}.bundles/create`, "emulator"),
  UpdateTrustProduct: p(`${COMPLIANCE}.bundles/update`, "emulator"),
  DeleteTrustProduct: p(`${COMPLIANCE}.bundles/delete`, "emulator"),
  ListCustomerProfileEntityAssignment: p(`${COMPLIANCE}.item-assignments/list`, "emulator"),
  FetchCustomerProfileEntityAssignment: p(`${COMPLIANCE}.item-assignments/read`, "emulator"),
  CreateCustomerProfileEntityAssignment: p(`${COMPLIANCE}.item-assignments/create`, "emulator"),
  DeleteCustomerProfileEntityAssignment: p(`${COMPLIANCE}.item-assignments/delete`, "emulator"),
  ListTrustProductEntityAssignment: p(`${COMPLIANCE}.item-assignments/list`, "emulator"),
  FetchTrustProductEntityAssignment: p(`${COMPLIANCE}.item-assignments/read`, "emulator"),
  CreateTrustProductEntityAssignment: p(`${COMPLIANCE}.item-assignments/create`, "emulator"),
  DeleteTrustProductEntityAssignment: p(`${COMPLIANCE}.item-assignments/delete`, "emulator"),
  ListCustomerProfileEvaluation: p(`${COMPLIANCE}.evaluations/list`, "emulator"),
  FetchCustomerProfileEvaluation: p(`${COMPLIANCE}.evaluations/read`, "emulator"),
  CreateCustomerProfileEvaluation: p(`${COMPLIANCE}.evaluations/create`, "emulator"),
  ListTrustProductEvaluation: p(`${COMPLIANCE}.evaluations/list`, "emulator"),
  FetchTrustProductEvaluation: p(`${COMPLIANCE}.evaluations/read`, "emulator"),
  CreateTrustProductEvaluation: p(`${COMPLIANCE}.evaluations/create`, "emulator"),
  ListEndUser: p(`${COMPLIANCE}.end-users/list`, "emulator"),
  FetchEndUser: p(`${COMPLIANCE}.end-users/read`, "emulator"),
  CreateEndUser: p(`${COMPLIANCE}.end-users/create`, "emulator"),
  UpdateEndUser: p(`${COMPLIANCE}.end-users/update`, "emulator"),
  DeleteEndUser: p(`${COMPLIANCE}.end-users/delete`, "emulator"),
  ListSupportingDocument: p(`${COMPLIANCE}.supporting-documents/list`, "emulator"),
  FetchSupportingDocument: p(`${COMPLIANCE}.supporting-documents/read`, "emulator"),
  CreateSupportingDocument: p(`${COMPLIANCE}.supporting-documents/create`, "emulator"),
  UpdateSupportingDocument: p(`${COMPLIANCE}.supporting-documents/update`, "emulator"),
  DeleteSupportingDocument: p(`${COMPLIANCE}.supporting-documents/delete`, "emulator"),
  ListPolicies: p(`${COMPLIANCE}.regulations/list`, "emulator"),
  FetchPolicies: p(`${COMPLIANCE}.regulations/read`, "emulator"),
  // IAM v1: API keys
  ListGetKeys: p("/twilio/iam/api-keys/list", "public"),
  FetchKey: p("/twilio/iam/api-keys/read", "public"),
  CreateNewKey: p("/twilio/iam/api-keys/create", "public"),
  UpdateKey: p("/twilio/iam/api-keys/update", "public"),
  DeleteKey: p("/twilio/iam/api-keys/delete", "public"),
};

/**
 * Real permissions of the products the emulator models that no emulated operation needs (from
 * Twilio's published lists), so a policy may name them.
 */
const OTHER_KNOWN_PERMISSIONS = [
  `${MESSAGING}/messages/update`,
  `${MESSAGING}/messages/delete`,
  `${MESSAGING}/messages.feedback/create`,
  ...["read", "list", "create", "delete"].flatMap((action) => [
    `${MESSAGING}/services.shortcodes/${action}`,
    `${MESSAGING}/services.alphasenders/${action}`,
    `${MESSAGING}/services.destination-alpha-senders/${action}`,
  ]),
  `${MESSAGING}/services.channelsenders/read`,
  `${MESSAGING}/services.channelsenders/list`,
  `${MESSAGING}/deactivations/list`,
  `${MESSAGING}/pricing/read`,
  `${MESSAGING}/pricing/list`,
  `${COMPLIANCE}.supporting-documents-types/read`,
  `${COMPLIANCE}.supporting-documents-types/list`,
  `${COMPLIANCE}.end-users-types/read`,
  `${COMPLIANCE}.end-users-types/list`,
  `${COMPLIANCE}.bundles.replace-items/update`,
  `${COMPLIANCE}.bundle-copies/list`,
  `${COMPLIANCE}.bundle-copies/create`,
];

/** Products whose permission names the emulator knows; a policy naming others is taken on trust. */
const MODELLED_PRODUCTS = new Set(["messaging", "phone-numbers", "iam"]);

const PERMISSION_SYNTAX =
  /^\/twilio\/([a-z0-9-]+)\/([a-z0-9.:-]+)\/(read|list|create|update|delete|\*)$/;

const KNOWN = new Set<string>([
  ...Object.values(OPERATION_PERMISSIONS).map((entry) => entry.permission),
  ...OTHER_KNOWN_PERMISSIONS,
]);
for (const name of [...KNOWN]) KNOWN.add(name.replace(/\/[^/]+$/, "/*"));

/**
 * Why a policy entry is not a permission Twilio would accept, or undefined when it is one. The
 * emulator checks names in the products it models; elsewhere only the form.
 */
export function permissionProblem(name: string): string | undefined {
  const match = PERMISSION_SYNTAX.exec(name);
  if (!match) return `assertion '${name}' is invalid`;
  if (MODELLED_PRODUCTS.has(match[1] ?? "") && !KNOWN.has(name)) {
    return `assertion '${name}' is invalid`;
  }
  return undefined;
}

/** The permission an operation needs (undefined for an operation no restricted key may call). */
export function permissionFor(operationId: string): string | undefined {
  return OPERATION_PERMISSIONS[operationId]?.permission;
}

/** Does a policy's allow list grant this permission (exactly, or by `{resource}/*`)? */
export function policyAllows(allow: readonly string[], permission: string): boolean {
  return allow.includes(permission) || allow.includes(permission.replace(/\/[^/]+$/, "/*"));
}

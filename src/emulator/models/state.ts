/**
 * The whole emulated account: the inventory of numbers for sale and the account's resources, wired
 * together (releasing a number takes it out of its service; a message picks its sender from a
 * service's pool; a message from a US number fails with 30034 unless its service has a verified
 * US A2P campaign). Tests may read and seed it directly; the server persists it as a snapshot.
 */
import { ApiKeyModel, type ApiKeyRecord } from "./api-keys";
import { ComplianceModel, type ComplianceSnapshot } from "./compliance";
import type { ModelContext } from "./context";
import { Inventory } from "./inventory";
import { MessageModel, type MessageRecord } from "./messages";
import { MessagingServiceModel, type MessagingServicesSnapshot } from "./messaging-services";
import { type IncomingPhoneNumberRecord, PhoneNumberModel } from "./phone-numbers";

/**
 * The serialisable state; `version` guards the state-file format. Sections added after version 1
 * are optional, so an older file still loads (as an account without those resources).
 */
export interface StateSnapshot {
  version: 1;
  accountSid: string;
  numbersPerAreaCode: number;
  /** Numbers that left the inventory for good (bought, seeded or released). */
  inventoryGone: string[];
  incomingPhoneNumbers: IncomingPhoneNumberRecord[];
  messaging: MessagingServicesSnapshot;
  messages: MessageRecord[];
  /** API keys, secrets hashed (see models/api-keys.ts). */
  apiKeys?: ApiKeyRecord[];
  /** US A2P 10DLC: addresses, Trust Hub, brands, campaigns (see models/compliance.ts). */
  compliance?: ComplianceSnapshot;
}

export interface EmulatorStateOptions {
  accountSid: string;
  numbersPerAreaCode?: number;
  now?: () => Date;
}

export class EmulatorState {
  readonly accountSid: string;
  readonly inventory: Inventory;
  readonly phoneNumbers: PhoneNumberModel;
  readonly messagingServices: MessagingServiceModel;
  readonly messages: MessageModel;
  readonly apiKeys: ApiKeyModel;
  readonly compliance: ComplianceModel;
  private readonly changeListeners: (() => void)[] = [];

  constructor(options: EmulatorStateOptions) {
    this.accountSid = options.accountSid;
    const now = options.now ?? (() => new Date());
    const ctx: ModelContext = {
      accountSid: options.accountSid,
      now,
      changed: () => {
        for (const listener of this.changeListeners) listener();
      },
    };
    this.inventory = new Inventory(options.numbersPerAreaCode);
    this.phoneNumbers = new PhoneNumberModel(ctx, this.inventory);
    this.messagingServices = new MessagingServiceModel(ctx, this.phoneNumbers);
    this.compliance = new ComplianceModel(ctx, this.messagingServices);
    this.messages = new MessageModel(
      ctx,
      this.phoneNumbers,
      this.messagingServices,
      this.compliance,
    );
    this.apiKeys = new ApiKeyModel(ctx);
  }

  /** Called after every successful mutation of any model. */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  snapshot(): StateSnapshot {
    return {
      version: 1,
      accountSid: this.accountSid,
      numbersPerAreaCode: this.inventory.numbersPerAreaCode,
      inventoryGone: this.inventory.snapshot(),
      incomingPhoneNumbers: this.phoneNumbers.snapshot(),
      messaging: this.messagingServices.snapshot(),
      messages: this.messages.snapshot(),
      apiKeys: this.apiKeys.snapshot(),
      compliance: this.compliance.snapshot(),
    };
  }

  /** Replaces the whole state with a snapshot (state-file load, admin reset). */
  restore(snapshot: StateSnapshot): void {
    if (snapshot.version !== 1)
      throw new Error(`Unsupported emulator state version ${String(snapshot.version)}`);
    if (snapshot.accountSid !== this.accountSid) {
      throw new Error(
        `The emulator state belongs to account ${snapshot.accountSid}, not ${this.accountSid}`,
      );
    }
    this.inventory.restore(snapshot.inventoryGone);
    this.phoneNumbers.restore(snapshot.incomingPhoneNumbers);
    this.messagingServices.restore(snapshot.messaging);
    this.messages.restore(snapshot.messages);
    this.apiKeys.restore(snapshot.apiKeys ?? []);
    this.compliance.restore(snapshot.compliance);
  }

  /**
   * Empties the account and refills the inventory (admin `DELETE /__emulator/state`). API keys
   * stay: they are credentials, like the auth token, not resources a test provisions.
   */
  reset(): void {
    this.restore(this.emptySnapshot());
    for (const listener of this.changeListeners) listener();
  }

  /** An empty account with a full inventory (and the current API keys). */
  emptySnapshot(): StateSnapshot {
    return {
      version: 1,
      accountSid: this.accountSid,
      numbersPerAreaCode: this.inventory.numbersPerAreaCode,
      inventoryGone: [],
      incomingPhoneNumbers: [],
      messaging: { services: [], phoneNumbers: [], sticky: {}, turns: {} },
      messages: [],
      apiKeys: this.apiKeys.snapshot(),
    };
  }
}

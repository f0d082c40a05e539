/**
 * Attachment of a number to a Messaging Service (Messaging v1 Services/{MG}/PhoneNumbers/{PN}).
 *
 * Unlike a number, an attachment may be replaced: moving a number to another service detaches it
 * first (delete before replace), because a number belongs to at most one service. Creating an
 * attachment that already exists adopts it (the import case), so no duplicate and no error.
 *
 * Its inputs are the service's and the number's resource ids (MG…, PN…), not their `sid` outputs:
 * while a preview plans an update of the service or the number, the engine keeps the id but turns
 * every declared output unknown, and an unknown SID compared with the stored one would preview a
 * replacement that `up` never makes. The number's current SID (`attachSid`) rides along for
 * `create` only: a number bought again after it vanished from Twilio keeps its resource id and has
 * a new SID; the attachment's own id (`MG…/PN…`) names what is attached in Twilio, and `read` and
 * `delete` use that.
 */
import * as pulumi from "@pulumi/pulumi";
import { providerStub } from "./implementation";
import { describeTwilioFailure, isNotFound, isTwilioRestError, twilioCall } from "./twilio-errors";
import { configureFromStack, twilioSession } from "./twilio-session";

export interface ServiceNumberInputs {
  serviceSid: string;
  phoneNumberSid: string;
  /** The number's SID in Twilio when it differs from its resource id (bought again). */
  attachSid?: string;
}

export type ServiceNumberOutputs = ServiceNumberInputs & {
  phoneNumber: string;
  capabilities: string[];
};

/** Twilio's "already in this Messaging Service" error: the attachment exists. */
const ALREADY_IN_THIS_SERVICE = 21710;

/** The id of an attachment: `MG…/PN…` (also what an import names). */
export function attachmentId(inputs: ServiceNumberInputs): string {
  return `${inputs.serviceSid}/${inputs.phoneNumberSid}`;
}

function parseId(id: string): ServiceNumberInputs {
  const [serviceSid = "", phoneNumberSid = ""] = id.split("/");
  return { serviceSid, phoneNumberSid };
}

async function fetchAttachment(inputs: ServiceNumberInputs) {
  const { client } = twilioSession();
  return client.messaging.v1
    .services(inputs.serviceSid)
    .phoneNumbers(inputs.phoneNumberSid)
    .fetch();
}

function outputsOf(
  attachment: { phoneNumber: string; capabilities: string[] },
  inputs: ServiceNumberInputs,
): ServiceNumberOutputs {
  return {
    serviceSid: inputs.serviceSid,
    phoneNumberSid: inputs.phoneNumberSid,
    phoneNumber: attachment.phoneNumber,
    capabilities: [...attachment.capabilities],
  };
}

export const serviceNumberProvider: pulumi.dynamic.ResourceProvider<
  ServiceNumberInputs,
  ServiceNumberOutputs
> = {
  configure: configureFromStack,

  async diff(_id, olds, news) {
    // A SID that is still unknown here (the preview placeholder) belongs to a service or number
    // that is being created or replaced: its SID will differ from the stored one, so counting it as
    // a change is the truth, not a guess.
    const replaces = (["serviceSid", "phoneNumberSid"] as const).filter(
      (field) => olds[field] !== news[field],
    );
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const { client } = twilioSession();
    const attached = {
      serviceSid: inputs.serviceSid,
      phoneNumberSid: inputs.attachSid || inputs.phoneNumberSid,
    };
    const action = `add number ${attached.phoneNumberSid} to Messaging Service ${inputs.serviceSid}`;
    try {
      const attachment = await client.messaging.v1
        .services(inputs.serviceSid)
        .phoneNumbers.create({ phoneNumberSid: attached.phoneNumberSid });
      return { id: attachmentId(attached), outs: outputsOf(attachment, inputs) };
    } catch (error) {
      if (isTwilioRestError(error) && error.code === ALREADY_IN_THIS_SERVICE) {
        const existing = await twilioCall(action, () => fetchAttachment(attached));
        return { id: attachmentId(attached), outs: outputsOf(existing, inputs) };
      }
      throw describeTwilioFailure(action, error);
    }
  },

  async read(id, props) {
    const inputs = props?.serviceSid ? props : parseId(id);
    try {
      return { id, props: outputsOf(await fetchAttachment(parseId(id)), inputs) };
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} as ServiceNumberOutputs };
      throw describeTwilioFailure(`read attachment ${id}`, error);
    }
  },

  async delete(id, props) {
    const { client } = twilioSession();
    const attached = id.includes("/") ? parseId(id) : props;
    try {
      // Detaches the number from the service; the number itself stays in the account.
      await client.messaging.v1
        .services(attached.serviceSid)
        .phoneNumbers(attached.phoneNumberSid)
        .remove();
    } catch (error) {
      if (isNotFound(error)) return;
      throw describeTwilioFailure(
        `remove number ${props.phoneNumberSid} from Messaging Service ${props.serviceSid}`,
        error,
      );
    }
  },
};

/** A number's membership in a Messaging Service's sender pool. */
export class ServiceNumber extends pulumi.dynamic.Resource {
  declare readonly serviceSid: pulumi.Output<string>;
  declare readonly phoneNumberSid: pulumi.Output<string>;

  constructor(
    name: string,
    inputs: {
      serviceSid: pulumi.Input<string>;
      phoneNumberSid: pulumi.Input<string>;
      attachSid?: pulumi.Input<string>;
    },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      providerStub("serviceNumber"),
      name,
      { ...inputs, phoneNumber: undefined, capabilities: undefined },
      opts,
      "twilio",
      "ServiceNumber",
    );
  }
}

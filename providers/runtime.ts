/**
 * The providers room (providers/): the Pulumi dynamic providers (phone number, Messaging Service,
 * attachment, number guard), run inside the engine's provider process. This file: the providers as
 * that process loads them (see implementation.ts).
 *
 * Imports src/config (types), src/twilio, src/validation and src/util; never src/cli, src/start,
 * the emulator, the sender, scripts/, bench/ or test/.
 */
import { messagingServiceProvider } from "./messaging-service";
import { phoneNumberProvider } from "./phone-number";
import { serviceNumberProvider } from "./service-number";
import { usA2pRegistrationProvider } from "./us-a2p-registration";

export const providers = {
  phoneNumber: phoneNumberProvider,
  messagingService: messagingServiceProvider,
  serviceNumber: serviceNumberProvider,
  usA2pRegistration: usA2pRegistrationProvider,
};

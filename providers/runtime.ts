/** The providers as the provider process loads them (see implementation.ts). */
import { messagingServiceProvider } from "./messaging-service";
import { phoneNumberProvider } from "./phone-number";
import { serviceNumberProvider } from "./service-number";

export const providers = {
  phoneNumber: phoneNumberProvider,
  messagingService: messagingServiceProvider,
  serviceNumber: serviceNumberProvider,
};

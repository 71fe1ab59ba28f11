import { pageOfAddress, subPageAddress } from '../../tab/src/app/address';

/** A Teams activity-feed notice opens the tab at the page its link names (the workers send the tab's own address as the sub-page id). */
describe('the address a notice deep link opens', () => {
  it.each([
    ['#/feedback?request=r1', '#/feedback?request=r1', 'feedback'],
    ['#/approvals', '#/approvals', 'approvals'],
    ['#/manager?programme=p1', '#/manager?programme=p1', 'manager'],
    ['feedback?request=r1', '#/feedback?request=r1', 'feedback'],
    ['/sponsor?programme=p1', '#/sponsor?programme=p1', 'sponsor'],
  ])('%s opens %s', (subPageId, address, page) => {
    expect(subPageAddress(subPageId)).toBe(address);
    expect(pageOfAddress(subPageAddress(subPageId))).toBe(page);
  });
});
